"""Cards: the pages of daily report cards, for the therapist, the rater's link, and the client's family."""
