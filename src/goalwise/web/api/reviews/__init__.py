"""Reviews under ``/api/v1``: GAS scales, the review summary, recording and reading reviews, reviews due."""
