"""Goals: web pages.

Writing a SMART goal from the client's words, the goal's page (revise, status, GAS scale), its
plan, and the needs and concerns assessment.
"""
