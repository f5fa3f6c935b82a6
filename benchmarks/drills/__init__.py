"""Reliability drills (``make drills``): faults a clinic will meet, each checked end to end."""
