"""SMART goals: commands.

Goals and their revisions, the SMART check in context, action plans, readiness, the needs and
concerns assessment, and obstacles with their strategies.
"""
