"""Measurement: use cases.

Observations and check-ins, the narrative records (ABC, episodes, journal), standardized assessments
and their risk alerts, phases and the baseline, and therapy sessions.
"""
