"""The clinic: the JSON API routes under ``/api/v1``.

Clients and their therapists, and the synthetic demo clinic.
"""
