"""Optional mail for invitation and reset links, through the SMTP server in the settings.

Goalwise needs no mail server: without ``GOALWISE_SMTP_HOST`` the person who made a link is
shown it and passes it on. With one, the link is also mailed. A failure to send is logged by
type only (never the address or the link) and reported back, so the link can still be passed on.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from goalwise.config import Settings

__all__ = ["link_url", "send_link"]

log = logging.getLogger("goalwise.mail")


def link_url(settings: Settings, path: str) -> str:
    """The full address of ``path`` (``/invite/...``, ``/reset/...``, ``/s/...``) for people to open or
    copy: ``GOALWISE_BASE_URL``, or ``http://HOST:PORT``. Every link the shells print, show or mail
    is built here (the CLI directly, the web through ``Context.link``), never from a request's host."""
    return settings.public_base_url + path


def send_link(settings: Settings, to: str, purpose: str, path: str) -> bool:
    """Mail a one-time link; True when the mail server accepted it, False without one or on failure."""
    if not settings.smtp_host:
        return False
    message = EmailMessage()
    message["From"] = settings.smtp_from or settings.smtp_user or "goalwise@localhost"
    message["To"] = to
    if purpose == "invite":
        message["Subject"] = "Your Goalwise invitation"
        intro = "Your therapist invited you to Goalwise. Choose a password here (the link works once):"
    elif purpose == "account-exists":
        message["Subject"] = "Your Goalwise invitation"
        intro = (
            "Someone asked Goalwise for a new account with this address, which already has one. Log in "
            "here; if you forgot your password, ask the clinic's administrator for a reset link by mail:"
        )
    else:
        message["Subject"] = "Set a new Goalwise password"
        intro = "Set a new password for Goalwise here (the link works once):"
    message.set_content(
        f"{intro}\n\n{link_url(settings, path)}\n\nIf you did not expect this, ignore this message.\n"
    )
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
            if settings.smtp_user and settings.smtp_password:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("could not mail a %s link: %s", purpose, type(exc).__name__)
        return False
    return True
