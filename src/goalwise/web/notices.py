"""The notices a page may show after a redirect, by code.

A redirect carries ``?notice=<code>``; a page shows the text of a known code and nothing for
anything else, so a link cannot make Goalwise display words it never wrote.
"""

from __future__ import annotations

__all__ = ["NOTICES", "notice_text"]

NOTICES: dict[str, str] = {
    "account-ready": "Your account is ready. Please log in.",
    "card-made": "The card is made, with its goal. Invite the teacher or parent who rates it below.",
    "card-revised": "The card is revised; its earlier versions and every rating are kept.",
    "card-rated": "Thank you: the day is rated.",
    "rater-revoked": "The rater's link is ended; it no longer opens the card.",
    "password-reset-by-admin": (
        "An administrator reset your password in the last 30 days. If you did not ask for this, "
        "tell your clinic."
    ),
    "logged-out": "You are logged out.",
    "password-set": "Your password is set. Please log in.",
    "logged-out-everywhere": "You are logged out on every device.",
    "token-revoked": "The token is revoked.",
    "share-revoked": "The share is revoked; its link no longer works.",
    "account-disabled": "The account is disabled and its sessions ended.",
    "sessions-ended": "Every session of that account has ended.",
    "records-deleted": "The records were deleted.",
    "alert-acknowledged": "The alert is acknowledged; your note is kept with it.",
    "checkin-saved": "Check-in saved. Well done for taking a moment for it.",
    "client-added": "The client is added to your caseload.",
    "phase-started": "The new phase has started; charts compare it with the phases before.",
    "calendar-revoked": "Calendar links are revoked; a subscribed calendar no longer updates.",
    "goal-saved": "The goal is saved as proposed. Activate it once the SMART check finds nothing to fix.",
    "goal-activated": "The goal is active. The client's check-in now asks for its value.",
    "goal-revised": "The goal is revised; the earlier version stays in its history.",
    "goal-status-changed": "The goal's status is changed and kept in its history.",
    "gas-saved": "The Goal Attainment Scale is saved.",
    "needs-saved": "The needs and concerns assessment is recorded.",
    "plan-item-added": "Added to the plan.",
    "plan-item-done": "Ticked off. The next step shows at the top.",
    "plan-item-open": "The item is open again.",
    "plan-item-removed": "Removed from the plan.",
    "review-recorded": "The review is recorded; each goal's history shows its decision.",
    "step-done": "Step ticked off. Every step counts.",
    "step-reopened": "The step is open again.",
    "value-logged": "Value saved. Thank you for keeping the picture up to date.",
    "abc-saved": "ABC entry saved. Noticing what happens before and after is how patterns show.",
    "episode-saved": "Episode saved. Writing it down is a good step.",
    "journal-saved": "Journal entry saved.",
    "goal-proposed": "Your goal is sent to your therapist as a proposal; you will shape it together.",
}


def notice_text(code: str | None) -> str | None:
    """The text for ``code``; None for no code or an unknown one."""
    return NOTICES.get(code) if code else None
