"""``govsearch serve`` as a subprocess, for the bench and the load test: a
free port, the start, the wait until ``/api/stats`` answers, the stop (its
whole process group: gunicorn's workers too), and plain HTTP GETs that go
straight to 127.0.0.1, never through a proxy from the environment.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from govsearch.bench.console import BenchError, log
from govsearch.config import PROJECT_ROOT

SERVER_START_TIMEOUT = 180.0
HTTP_TIMEOUT = 120.0
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str) -> tuple[int, dict[str, Any] | None]:
    """(status, JSON body) of a GET; an HTTP error's body is dropped."""
    try:
        with _OPENER.open(url, timeout=HTTP_TIMEOUT) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code, None


def try_get(url: str) -> tuple[int, dict[str, Any] | None]:
    """Like http_get, with a dropped connection or time-out as status 0."""
    try:
        return http_get(url)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, None


def start_server(serve_args: list[str], port: int, log_path: Path, who: str = "server") -> tuple[subprocess.Popen,
                                                                                                  float]:
    """``python -m govsearch serve --port PORT *serve_args`` (the project's venv when there is one), output
    to ``log_path``; returns the process once it answers, and the seconds that took."""
    python = PROJECT_ROOT / ".venv" / "bin" / "python"
    command = [str(python if python.exists() else Path(sys.executable)), "-m", "govsearch", "serve", *serve_args,
               "--port", str(port)]
    log(f"{who}: starting {' '.join(command[1:])} …")
    with log_path.open("wb") as server_log:
        proc = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=server_log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    started = time.perf_counter()
    try:
        while True:
            if proc.poll() is not None:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-1500:]
                raise BenchError(f"the server exited with status {proc.returncode} before answering:\n{tail}")
            if try_get(f"http://127.0.0.1:{port}/api/stats")[0] == 200:
                return proc, time.perf_counter() - started
            if time.perf_counter() - started > SERVER_START_TIMEOUT:
                raise BenchError(f"the server did not answer within {SERVER_START_TIMEOUT:.0f} s; see {log_path}")
            time.sleep(0.2)
    except BaseException:
        stop_server(proc)
        raise


def stop_server(proc: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM to the server's process group, SIGKILL if it is still there after ``timeout`` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            continue
