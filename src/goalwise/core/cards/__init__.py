"""Cards: the daily report card, target behaviours rated yes, no or not applicable each day.

Pure rules only: a card's targets, periods and reward tiers and how they are checked (``card``);
a day's ratings, its percentage, the reward tier it reaches, per-target hit rates and the shaping
suggestion (``day``).
"""
