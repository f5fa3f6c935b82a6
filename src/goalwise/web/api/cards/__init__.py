"""Cards: daily report cards under ``/api/v1``: make, read and rate a card, invite and end raters."""
