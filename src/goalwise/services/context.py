"""The context every service call receives: the database, the settings and the keyring."""

from __future__ import annotations

from dataclasses import dataclass

from goalwise.config import Settings
from goalwise.core.errors import ConfigError
from goalwise.services.accounts.crypto import Keyring, keyring_from_text, load_keyring
from goalwise.services.accounts.mailer import link_url
from goalwise.storage.engine import Database, EngineOptions

__all__ = ["Context", "open_database", "open_keyring"]


def open_database(settings: Settings, url: str | None = None) -> Database:
    """The database at ``url`` (default the app's) with the pool and timeouts of ``settings``."""
    options = EngineOptions(
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_recycle=settings.db_pool_recycle_seconds,
        pool_timeout=settings.db_pool_timeout_seconds,
        statement_timeout=settings.db_statement_timeout_seconds,
    )
    return Database.from_url(
        url or settings.resolved_database_url,
        write_retry_seconds=settings.write_retry_seconds,
        options=options,
    )


def open_keyring(settings: Settings) -> Keyring:
    """The keys from ``GOALWISE_SECRET_KEY`` or the key file (created on first run at the default path)."""
    if settings.secret_key is not None:
        if settings.secret_key_file is not None:
            raise ConfigError(
                "both GOALWISE_SECRET_KEY and GOALWISE_SECRET_KEY_FILE are set; keep one of them"
            )
        return keyring_from_text(settings.secret_key.get_secret_value())
    return load_keyring(settings.resolved_secret_key_file, create=settings.secret_key_file is None)


@dataclass
class Context:
    """What a use case needs besides its arguments and its actor."""

    db: Database
    settings: Settings
    keys: Keyring

    @classmethod
    def open(cls, settings: Settings, db: Database | None = None) -> Context:
        """A context from ``settings``; the key file is created on first run when it uses the default path."""
        return cls(db or open_database(settings), settings, open_keyring(settings))

    def link(self, path: str) -> str:
        """The absolute link to ``path`` that people are shown, printed or mailed (see ``link_url``)."""
        return link_url(self.settings, path)

    @property
    def key_was_generated(self) -> bool:
        """True when this run created the key file: the admin page warns to back it up."""
        return self.keys.generated
