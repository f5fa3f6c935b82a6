"""A throwaway PostgreSQL cluster for the test suite, started from the server binaries if present.

``initdb`` refuses to run as root, so as root the cluster belongs to the ``postgres`` user
(created by Debian's package) and is started with ``runuser -u postgres``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Cluster", "find_bindir", "start_cluster"]


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when the server is not installed."""
    for name in ("initdb",):
        found = shutil.which(name)
        if found:
            return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    """A running cluster; ``url`` points at its ``postgres`` database."""

    bindir: Path
    datadir: Path
    port: int
    as_user: str | None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        _run(
            self.as_user,
            [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"],
            check=False,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def _run(user: str | None, cmd: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)


def start_cluster() -> Cluster:
    """initdb and start a cluster on a free port on 127.0.0.1 (trust auth, loopback only)."""
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb) not found")
    as_user = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="goalwise-pg-"))
    datadir = root / "data"
    sockdir = root / "sock"
    sockdir.mkdir()
    if as_user:
        shutil.chown(root, as_user)
        shutil.chown(sockdir, as_user)
    _run(
        as_user,
        [
            str(bindir / "initdb"),
            "-D",
            str(datadir),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        ],
    )
    port = _free_port()
    opts = (
        f"-p {port} -k {sockdir} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    _run(
        as_user,
        [
            str(bindir / "pg_ctl"),
            "-D",
            str(datadir),
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            "-l",
            str(root / "server.log"),
            "start",
        ],
    )
    return Cluster(bindir=bindir, datadir=datadir, port=port, as_user=as_user)
