"""Every setting appears in docs/settings.md, and the defaults behave as documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from goalwise.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_is_documented(name: str) -> None:
    assert f"`GOALWISE_{name.upper()}`" in DOC.read_text(), (
        f"document GOALWISE_{name.upper()} in docs/settings.md"
    )


def test_sqlite_database_and_key_default_to_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.as_posix()}/goalwise.db"
    assert settings.resolved_secret_key_file == tmp_path / "secret.key"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOALWISE_PORT", "8765")
    monkeypatch.setenv("GOALWISE_CRISIS_REGION", "uk")
    settings = Settings()
    assert settings.port == 8765
    assert "116 123" in settings.resolved_crisis_text


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValidationError, match="IANA"):
        Settings(timezone="Mars/Olympus")


def test_safe_dict_masks_the_database_password() -> None:
    shown = Settings(database_url="postgresql+psycopg://me:hunter2secret@db/goalwise").safe_dict()
    assert "hunter2secret" not in shown["database_url"]
