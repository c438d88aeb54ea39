"""``govsearch serve --workers N``: the app under gunicorn's pre-fork workers.

One process answers one query at a time (the engine holds a lock per
query), so using more than one core takes more processes.  Each gunicorn
worker opens the index itself, after the fork, and picks up new commits by
itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    """Each worker builds its own app after the fork: an engine's open index
    files share their read offsets with every process forked from it, so one
    app shared by several workers reads garbage under load."""

    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]):
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.factory()


def serve(factory: Callable[[], Any], *, host: str, port: int, workers: int, threads: int) -> None:
    GunicornServer(factory, {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                             "worker_class": "gthread", "preload_app": False, "timeout": 120,
                             "graceful_timeout": 10, "accesslog": None, "errorlog": "-", "loglevel": "warning",
                             "proc_name": "govsearch"}).run()
