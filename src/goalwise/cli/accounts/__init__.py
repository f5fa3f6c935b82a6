"""Accounts: commands.

Users and roles, passwords, one-time links, log-in sessions and API tokens, the encryption key and
encrypted text, mail, the audit log, and authorization on every object.
"""
