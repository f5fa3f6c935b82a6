"""Reviews: ``goalwise review``, the 4-8 week goal review with Goal Attainment Scaling and the plan review."""
