"""Measurement: domain values and rules (no I/O).

Observations of a metric and the phases of care (baseline, intervention).
"""
