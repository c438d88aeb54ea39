"""Shared fixtures: one index over the bundled seeds per test session."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from govsearch.config import PROJECT_ROOT, SEEDS_DIR
from govsearch.index.build import ingest
from govsearch.index.report import document_id
from govsearch.search.engine import Engine
from govsearch.webui import create_app

SHARED = PROJECT_ROOT.parent / "shared"


def seed_path(prefix: str) -> Path:
    """The bundled seed whose file name starts with ``prefix`` (000 … 004)."""
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path


def seed_source(prefix: str) -> str:
    return seed_path(prefix).relative_to(PROJECT_ROOT).as_posix()


def seed_id(prefix: str) -> str:
    """The id a bundled seed gets: from its source and bytes (index.report.document_id)."""
    return document_id(seed_path(prefix).read_bytes(), seed_source(prefix))


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("seed-index") / "index"
    summary = ingest([SEEDS_DIR], index_dir, base=PROJECT_ROOT)
    assert summary.counts()["added"] == 5, summary.outcomes
    return index_dir


@pytest.fixture(scope="session")
def engine(seed_index) -> Engine:
    return Engine(seed_index)


@pytest.fixture()
def view_reads(monkeypatch) -> dict[str, int]:
    """How many texts and records the read path reads (View.text and
    View.record), counted for as long as the test runs."""
    from govsearch.search.accel import View

    reads = {"text": 0, "record": 0}

    def counting(name):
        real = getattr(View, name)

        def counted(self, docnum):
            reads[name] += 1
            return real(self, docnum)
        return counted

    for name in reads:
        monkeypatch.setattr(View, name, counting(name))
    return reads


@pytest.fixture(scope="session")
def app(seed_index):
    return create_app(seed_index, TESTING=True)


@pytest.fixture()
def client(app):
    return app.test_client()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def redis_url(tmp_path):
    """A private redis-server on a free port (installed by scripts/test.sh)."""
    import redis as redis_client

    port = free_port()
    server = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
                               "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL)
    client = redis_client.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis_client.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


class Served(str):
    """A running test server's base URL, with its process id (for RSS)."""

    pid: int


@contextlib.contextmanager
def serving(*args: str, timeout: float = 60):
    """``govsearch serve ARGS`` on a free port until the block ends; yields
    the base URL (a :class:`Served`) once the server answers."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "govsearch", "serve", "--port", str(port), *args],
                              cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    base = Served(f"http://127.0.0.1:{port}")
    base.pid = server.pid
    try:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/stats", timeout=10) as response:
                    response.read()
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    pytest.fail(f"server did not start: {server.communicate(timeout=5)}")
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.communicate(timeout=30)
