"""The benchmark clinic: built once with the demo generator, then kept under ``benchmarks/.cache/``.

2,000 clients (``--clients``) with 2 years (``--days``) of daily mood, anxiety, sleep and goal metrics and
fortnightly PHQ-9 and GAD-7; the demo therapist keeps a caseload of 150 and a second therapist holds
the rest. The folder is named after the size and the schema revision, so a new migration builds a new
clinic, and a rerun of ``make bench`` starts in seconds.

Run: python benchmarks/clinic.py [--clients 2000 --days 730]
"""

from __future__ import annotations

import argparse
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from goalwise.config import Settings
from goalwise.core.accounts.actor import Actor
from goalwise.services.clinic.demo import load_demo
from goalwise.services.context import Context
from goalwise.storage.engine import Database
from goalwise.storage.migrate import head_revision, upgrade
from goalwise.storage.tables import care_links, goals, users

CACHE = Path(__file__).parent / ".cache"
CASELOAD = 150
END_ON = date(2026, 6, 30)
THERAPIST = "therapist@demo.goalwise.test"
OTHER_THERAPIST = "colleague@bench.goalwise.test"


@dataclass(frozen=True)
class Clinic:
    """A built clinic: its folder (database and key file) and its size."""

    folder: Path
    clients: int
    days: int
    #: Set for the PostgreSQL copy (``benchmarks/pg_clinic.py``); the key file stays in ``folder``.
    database_url: str | None = None

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return "postgresql" if self.database_url else "sqlite"

    @property
    def db_path(self) -> Path:
        """The SQLite database file."""
        return self.folder / "goalwise.db"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the database."""
        return self.database_url or f"sqlite:///{self.db_path}"

    def settings(self, **extra: object) -> Settings:
        """Settings pointing at this clinic."""
        if self.database_url:
            extra.setdefault("database_url", self.database_url)
        return Settings(data_dir=self.folder, **extra)  # type: ignore[arg-type]

    def context(self) -> Context:
        """A service context on the clinic."""
        return Context.open(self.settings())


def driver_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as the plain driver takes it (``postgresql://...``)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _schema_head() -> str:
    return head_revision()


def ensure_clinic(clients: int = 2000, days: int = 730) -> Clinic:
    """The cached clinic of this size, built first when it is missing."""
    folder = CACHE / f"clinic-{clients}x{days}-{_schema_head()}"
    clinic = Clinic(folder, clients, days)
    if (folder / "ready").exists():
        _prepare(clinic)
        return clinic
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    db = Database.from_url(clinic.url)
    upgrade(db)
    ctx = Context.open(Settings(data_dir=folder), db)
    result = load_demo(ctx, Actor.system(), n_clients=clients, days=days, seed=1, end_on=END_ON)
    _split_caseload(db)
    db.dispose()
    (folder / "ready").write_text(f"{result.observations} observations, {result.assessments} assessments\n")
    _prepare(clinic)
    print(
        f"built {folder.name}: {result.observations:,} observations in {time.perf_counter() - started:.0f} s"
    )
    return clinic


def _split_caseload(db: Database) -> None:
    """Keep the first ``CASELOAD`` clients with the demo therapist; give the rest to a colleague."""
    with db.write() as conn:
        row = conn.execute(select(users).where(users.c.email == THERAPIST)).mappings().one()
        values = {k: v for k, v in row.items() if k != "id"}
        values.update(email=OTHER_THERAPIST, name="Dr. Colleague", created_at=datetime.now(UTC))
        other = conn.execute(users.insert().values(**values).returning(users.c.id)).scalar_one()
        keep = select(care_links.c.client_id).order_by(care_links.c.client_id).limit(CASELOAD)
        conn.execute(
            update(care_links)
            .where(
                care_links.c.therapist_id == row["id"], care_links.c.client_id.not_in(keep.scalar_subquery())
            )
            .values(therapist_id=other)
        )


def _prepare(clinic: Clinic) -> None:
    """Give the first client of the caseload a fourth goal (the dashboard benchmark's 4 goals)."""
    marker = clinic.folder / "prepared-1"
    if marker.exists():
        return
    db = Database.from_url(clinic.url)
    with db.write() as conn:
        client_id = conn.execute(select(func.min(care_links.c.client_id))).scalar_one()
        source = conn.execute(select(goals).where(goals.c.client_id == client_id).limit(1)).mappings().one()
        values = {k: v for k, v in source.items() if k != "id"}
        values.update(title=f"{source['title']} (second step)", status="active")
        conn.execute(goals.insert().values(**values))
    db.dispose()
    marker.write_text("fourth goal added\n")


def dashboard_client(clinic: Clinic) -> int:
    """The caseload client with the most goals (4 after ``_prepare``)."""
    db = Database.from_url(clinic.url)
    with db.read() as conn:
        return int(
            conn.execute(
                select(goals.c.client_id).group_by(goals.c.client_id).order_by(func.count().desc()).limit(1)
            ).scalar_one()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--days", type=int, default=730)
    args = parser.parse_args()
    clinic = ensure_clinic(args.clients, args.days)
    print(clinic.folder)


if __name__ == "__main__":
    main()
