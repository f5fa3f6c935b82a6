"""Progress: the JSON API routes under ``/api/v1``.

The analysis of a metric over time, questionnaire outcomes, the therapist's caseload, and the short
overviews pages show.
"""
