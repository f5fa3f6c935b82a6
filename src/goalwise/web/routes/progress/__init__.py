"""Progress: web pages.

The analysis of a metric over time, questionnaire outcomes, the therapist's caseload, and the short
overviews pages show.
"""
