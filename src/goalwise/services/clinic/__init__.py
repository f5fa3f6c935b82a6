"""The clinic: use cases.

Clients and their therapists, and the synthetic demo clinic.
"""
