"""Settings: one object, read from ``GOALWISE_*`` environment variables.

Every setting is documented in ``docs/settings.md``; a test fails when one is missing there.
Secrets (the key file's contents, passwords in URLs) are never printed: ``Settings.safe_dict``
masks them.
"""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from goalwise.core.measurement.crisis import crisis_text

__all__ = ["Settings", "get_settings"]

#: The built-in texts of the clinic's default region (the table in ``core/measurement/crisis.py``).
US_CRISIS_TEXT = crisis_text("us", None)
UK_CRISIS_TEXT = crisis_text("uk", None)


class Settings(BaseSettings):
    """Runtime configuration. Field names map to ``GOALWISE_<NAME>`` in upper case."""

    model_config = SettingsConfigDict(env_prefix="GOALWISE_", extra="ignore")

    data_dir: Path = Field(default=Path("./data"), description="Folder for the SQLite database and keys.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default sqlite:///<DATA_DIR>/goalwise.db. "
        "PostgreSQL: postgresql+psycopg://user:password@host/dbname",
    )
    migration_database_url: str | None = Field(
        default=None,
        description="URL that `goalwise db upgrade` uses: the role that owns the tables. "
        "Default GOALWISE_DATABASE_URL. See docs/admin-guide.md, two database roles.",
    )
    write_retry_seconds: float = Field(
        default=30.0,
        ge=0,
        le=600,
        description="Seconds a write keeps retrying while another program holds the database lock.",
    )
    db_pool_size: int = Field(
        default=5, ge=1, le=200, description="Database connections each app process keeps open."
    )
    db_max_overflow: int = Field(
        default=10, ge=0, le=200, description="Extra connections a process may open at a busy moment."
    )
    db_pool_recycle_seconds: int = Field(
        default=1800, ge=0, description="Reopen a connection older than this (0: never)."
    )
    db_pool_timeout_seconds: float = Field(
        default=30.0, gt=0, le=600, description="Seconds a request waits for a free connection."
    )
    db_statement_timeout_seconds: float = Field(
        default=30.0, ge=0, le=3600, description="PostgreSQL cancels a statement after this long (0: never)."
    )
    request_timeout_seconds: float = Field(
        default=120.0,
        ge=0,
        le=3600,
        description="A page or API call that takes longer answers 503 (0: never).",
    )
    host: str = Field(default="127.0.0.1", description="Address the web server listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the web server listens on.")
    secret_key_file: Path | None = Field(
        default=None, description="File holding the encryption key; default <DATA_DIR>/secret.key."
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="The encryption key itself (base64; several separated by commas, current first), "
        "instead of a key file: for hosts that share one key.",
    )
    timezone: str = Field(default="UTC", description="Default time zone for new clients (IANA name).")
    crisis_region: Literal["us", "uk"] = Field(
        default="us",
        description="Crisis lines for a client whose time zone names no place (UTC) and who chose no region.",
    )
    crisis_text: str | None = Field(
        default=None,
        description="The clinic's own crisis text: for regions outside the built-in table, and instead of "
        "the default region's lines.",
    )
    hamd_banding: Literal["common", "zimmerman2013"] = Field(
        default="common", description="HAM-D-17 severity bands: the common scheme or Zimmerman et al. 2013."
    )
    phq9_reliable_change: int = Field(default=6, description="PHQ-9 points for reliable change (NHS TT).")
    gad7_reliable_change: int = Field(default=4, description="GAD-7 points for reliable change (NHS TT).")
    phq9_caseness: int = Field(default=10, description="PHQ-9 caseness threshold (NHS TT).")
    gad7_caseness: int = Field(default=8, description="GAD-7 caseness threshold (NHS TT).")
    session_idle_minutes: int = Field(
        default=30, ge=1, le=1440, description="Log out after this many idle minutes."
    )
    cookie_secure: bool = Field(
        default=False, description="Send cookies only over https (set true behind TLS)."
    )
    client_self_registration: bool = Field(
        default=False, description="Let clients create their own accounts."
    )
    login_max_failures: int = Field(default=5, ge=1, description="Failed log-ins per account in the window.")
    login_window_minutes: int = Field(default=15, ge=1, description="Window for counting failed log-ins.")
    link_valid_days: int = Field(
        default=7, ge=1, le=60, description="Days an invitation or reset link works."
    )
    share_default_days: int = Field(default=30, ge=1, le=365, description="Default expiry of a share link.")
    base_url: str = Field(
        default="",
        description="Public address in every link Goalwise prints, shows or mails (invitation, reset, "
        "share, calendar), e.g. https://goalwise.example.org; default http://HOST:PORT.",
    )
    smtp_host: str | None = Field(
        default=None, description="Mail server; unset means links are shown, not mailed."
    )
    smtp_port: int = Field(default=587, description="Mail server port.")
    smtp_user: str | None = Field(default=None, description="Mail server login.")
    smtp_password: str | None = Field(default=None, description="Mail server password (never printed).")
    smtp_from: str | None = Field(default=None, description="Sender address for mailed links.")
    max_body_bytes: int = Field(
        default=1_048_576,
        ge=1024,
        description="Largest request body accepted, in bytes; larger ones are refused with 413.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: addresses "
        "or CIDR networks, separated by commas (e.g. 127.0.0.1,10.0.0.0/8). Default none.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", description="Log level.")

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        from ipaddress import ip_network

        for item in filter(None, (part.strip() for part in value.split(","))):
            try:
                ip_network(item, strict=False)
            except ValueError as exc:
                raise ValueError(
                    f"{item!r} is not an address or network; use e.g. 127.0.0.1 or 10.0.0.0/8"
                ) from exc
        return value

    @property
    def trusted_proxy_networks(self) -> list[IPv4Network | IPv6Network]:
        """``GOALWISE_TRUSTED_PROXIES`` as networks (a single address is a network of one)."""
        from ipaddress import ip_network

        return [ip_network(p.strip(), strict=False) for p in self.trusted_proxies.split(",") if p.strip()]

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from goalwise.core.client import is_iana_timezone

        if not is_iana_timezone(value):
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/London")
        return value

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'goalwise.db').as_posix()}"

    @property
    def resolved_migration_database_url(self) -> str:
        """The URL that migrates the schema: the owner role's, or the app's when only one is set."""
        return self.migration_database_url or self.resolved_database_url

    @property
    def public_base_url(self) -> str:
        """The address people open links at: ``base_url``, or ``http://HOST:PORT`` when it is unset."""
        return self.base_url.strip().rstrip("/") or f"http://{self.host}:{self.port}"

    @property
    def resolved_secret_key_file(self) -> Path:
        """Where the encryption key lives."""
        return self.secret_key_file or self.data_dir / "secret.key"

    @property
    def resolved_crisis_text(self) -> str:
        """The crisis resources shown when a risk rule fires."""
        if self.crisis_text:
            return self.crisis_text
        return UK_CRISIS_TEXT if self.crisis_region == "uk" else US_CRISIS_TEXT

    def safe_dict(self) -> dict[str, str]:
        """Settings for display, with any password in the database URL masked."""
        from goalwise.storage.urls import mask_password

        out = {name: str(getattr(self, name)) for name in type(self).model_fields}
        if self.smtp_password:
            out["smtp_password"] = "***"
        if self.secret_key is not None:
            out["secret_key"] = "***"
        out["database_url"] = mask_password(self.resolved_database_url)
        out["migration_database_url"] = mask_password(self.resolved_migration_database_url)
        return out


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
