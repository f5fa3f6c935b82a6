"""The clinic: web pages.

Whether this installation can serve.
"""
