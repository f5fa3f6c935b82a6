"""Accounts: domain values and rules (no I/O).

The acting user (actor), users and roles, and the password policy.
"""
