"""Reviews: the 4-8 week goal review with Goal Attainment Scaling and the 3-6 month plan review.

Pure rules only: each goal's five-level scale and its default derived from baseline and target
(``gas_scale``), the level a goal's recent data points to, the decisions a review may take and what
each does to the goal, the next review date and when a goal is due for review (``review``).
"""
