"""A throw-away PostgreSQL server for the store's contract tests (Debian's ``postgresql`` package).

``initdb`` into a temporary directory, listening only on 127.0.0.1 (a free port) and a Unix
socket in that directory; stopped and removed after the test session. ``initdb`` refuses to
run as root, so as root the server runs as the ``postgres`` user the package creates.
Skipped, with the reason printed by ``pytest -ra``, only when the server cannot be had
(``make postgres`` installs it; ``make test`` runs that first).
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    """A running cluster: its admin URL and how to stop and start it (for fault tests)."""

    bin_dir: Path
    root: Path
    port: int
    as_user: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def _ctl(self, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *args],
                       check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c max_connections=200"
        self._ctl("-o", options, "-l", str(self.root / "server.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-w", "stop")

    def create_database(self) -> str:
        """A new empty database (one per test keeps tests independent); returns its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def start_server() -> PgServer:
    """Start a cluster or skip with the reason."""
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        pytest.skip("psycopg 3 is not installed: pip install -e '.[dev]' (it is a dependency)")
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed and could not be: `make postgres` (apt-get install -y postgresql) failed")
    root = Path(tempfile.mkdtemp(prefix="interviewer-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    server = PgServer(bin_dir, root, _free_port(), as_user)
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(server.data), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--no-sync"], check=True, capture_output=True, timeout=120)
    server.start()
    return server


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the whole test session."""
    server = start_server()
    yield server
    try:
        server.stop("immediate")
    finally:
        shutil.rmtree(server.root, ignore_errors=True)
