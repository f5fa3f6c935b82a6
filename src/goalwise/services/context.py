"""The context every service call receives: the database, the settings and the keyring."""

from __future__ import annotations

from dataclasses import dataclass

from goalwise.config import Settings
from goalwise.services.accounts.crypto import Keyring, load_keyring
from goalwise.services.accounts.mailer import link_url
from goalwise.storage.engine import Database

__all__ = ["Context"]


@dataclass
class Context:
    """What a use case needs besides its arguments and its actor."""

    db: Database
    settings: Settings
    keys: Keyring

    @classmethod
    def open(cls, settings: Settings, db: Database | None = None) -> Context:
        """A context from ``settings``; the key file is created on first run when it uses the default path."""
        database = db or Database.from_url(
            settings.resolved_database_url, write_retry_seconds=settings.write_retry_seconds
        )
        keys = load_keyring(settings.resolved_secret_key_file, create=settings.secret_key_file is None)
        return cls(database, settings, keys)

    def link(self, path: str) -> str:
        """The absolute link to ``path`` that people are shown, printed or mailed (see ``link_url``)."""
        return link_url(self.settings, path)

    @property
    def key_was_generated(self) -> bool:
        """True when this run created the key file: the admin page warns to back it up."""
        return self.keys.generated
