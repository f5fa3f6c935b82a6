"""Helpers for the test suite: throwaway databases, PostgreSQL clusters and a live server."""
