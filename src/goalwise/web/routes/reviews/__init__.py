"""Reviews: web pages. The 4-8 week goal review with its data summary and Goal Attainment Scaling."""
