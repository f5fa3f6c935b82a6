"""The clinic: commands.

Clients and their therapists, and the synthetic demo clinic.
"""
