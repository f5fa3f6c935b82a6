"""Sharing and privacy: use cases.

What a client shows to a supporter through a revocable link, and the client's rights of access
(export) and erasure.
"""
