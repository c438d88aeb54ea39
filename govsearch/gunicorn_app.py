"""``govsearch serve --workers N``: the app under gunicorn's pre-fork workers.

One process answers one query at a time (the engine holds a lock per
query), so using more than one core takes more processes.  gunicorn forks
them after loading the app once; each worker keeps its own index view, and
each picks up new commits by itself.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    def __init__(self, app, options: dict[str, Any]):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def serve(app, *, host: str, port: int, workers: int, threads: int) -> None:
    GunicornServer(app, {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                         "worker_class": "gthread", "timeout": 120, "graceful_timeout": 10,
                         "accesslog": None, "errorlog": "-", "loglevel": "warning",
                         "proc_name": "govsearch"}).run()
