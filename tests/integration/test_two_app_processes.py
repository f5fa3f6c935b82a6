"""Two app processes (``goalwise serve``) on one PostgreSQL database, sharing the key through
``GOALWISE_SECRET_KEY``: check-ins sent to both at once are stored once each, none lost, and a
session opened on one process is honoured by the other."""

from __future__ import annotations

import base64
import json
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select
from tests.support.cast import PASSWORD, Cast, make_cast

from goalwise.config import Settings
from goalwise.services.accounts.crypto import new_key
from goalwise.services.context import Context
from goalwise.storage.engine import Database
from goalwise.storage.tables import observations

pytestmark = pytest.mark.postgres

GOALWISE = str(Path(sys.executable).parent / "goalwise")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _app_process(env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [GOALWISE, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/healthz", timeout=5)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    why = process.stderr.read() if process.stderr else b""
                    raise RuntimeError(f"goalwise serve did not start: {why!r}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(30)


@pytest.fixture
def two_processes(pg_db: Database, tmp_path: Path) -> Iterator[tuple[list[str], Cast]]:
    key = base64.b64encode(new_key()).decode()
    settings = Settings(data_dir=tmp_path / "one", database_url=pg_db.url, secret_key=key)  # type: ignore[arg-type]
    cast = make_cast(Context.open(settings, pg_db))
    with ExitStack() as stack:
        bases = []
        for name in ("one", "two"):
            env = {
                "PATH": "/usr/bin:/bin",
                "HOME": str(tmp_path),
                "GOALWISE_DATA_DIR": str(tmp_path / name),
                "GOALWISE_DATABASE_URL": pg_db.url,
                "GOALWISE_SECRET_KEY": key,
                "GOALWISE_DB_POOL_SIZE": "4",
            }
            bases.append(stack.enter_context(_app_process(env)))
        yield bases, cast


def test_check_ins_sent_to_two_processes_are_each_stored_once(
    two_processes: tuple[list[str], Cast], pg_db: Database
) -> None:
    bases, cast = two_processes
    client_id = cast.client_a.client_id
    headers = {"Authorization": f"Bearer {cast.therapist.token}"}
    refs = [uuid.uuid4().hex for _ in range(60)]
    # Every check-in goes to both processes at once: a retry that lands on the other host.
    jobs = [(base, ref) for ref in refs for base in bases]

    def send(job: tuple[str, str]) -> int:
        base, ref = job
        body = {"mood": 6, "anxiety": 3, "sleep_hours": 7.5, "client_ref": ref}
        answer = requests.post(
            f"{base}/api/v1/clients/{client_id}/checkins", json=body, headers=headers, timeout=60
        )
        return answer.status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(send, jobs))
    assert set(statuses) <= {200, 201}, statuses
    with pg_db.read() as conn:
        stored = conn.execute(
            select(observations.c.client_ref, func.count())
            .where(observations.c.client_id == client_id, observations.c.client_ref.is_not(None))
            .group_by(observations.c.client_ref)
        ).all()
    assert len(stored) == 3 * len(refs)  # mood, anxiety and sleep of every check-in: none lost
    assert all(n == 1 for _, n in stored)  # and none stored twice


def test_a_session_opened_on_one_process_is_honoured_by_the_other(
    two_processes: tuple[list[str], Cast],
) -> None:
    (one, two), cast = two_processes
    browser = requests.Session()
    form = browser.get(f"{one}/login", timeout=30).text
    pre_token = re.search(r'name="pre_token" value="([^"]+)"', form)
    assert pre_token is not None
    answer = browser.post(
        f"{one}/login",
        data={"email": cast.therapist.email, "password": PASSWORD, "pre_token": pre_token.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 303
    cookies = {name: value for name, value in browser.cookies.items() if name == "goalwise_session"}
    assert cookies
    page = requests.get(f"{two}/dashboard", cookies=cookies, allow_redirects=False, timeout=30)
    assert page.status_code == 200  # not sent to log in
    me = requests.get(f"{two}/api/v1/me", cookies=cookies, timeout=30)
    assert me.status_code == 200
    assert json.loads(me.text)["user_id"] == cast.therapist.user_id
    anonymous = requests.get(f"{two}/dashboard", allow_redirects=False, timeout=30)
    assert anonymous.status_code in (302, 303)  # the check can fail: without the cookie, log in first
