"""Sharing and privacy: the JSON API routes under ``/api/v1``.

What a client shows to a supporter through a revocable link, and the client's rights of access
(export) and erasure.
"""
