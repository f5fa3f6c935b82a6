"""Reviews: each goal's Goal Attainment Scale, the data summary a review looks at, recording a
review (levels, decisions, encrypted notes, T-score, next date) and the reviews that are due."""
