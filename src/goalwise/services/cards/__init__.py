"""Cards: daily report cards, their ratings, raters' private links and the home report.

A card has its own goal (metric: percentage of targets met per day, direction increase) created
with ``services/goals/goals.py``; each rated day is stored as an observation of that goal's metric
(the day's percentage, as a value of 100), so every chart, baseline, effect size, review
and report works on it unchanged (``cards``, ``card_days``, ``raters``, ``home_report``).
"""
