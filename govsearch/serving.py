"""The production servers behind ``govsearch serve``: waitress, or gunicorn.

Both answer every request a client can get wrong in JSON, as the API
promises, even the ones the server rejects before the app sees them (a
request line or header block over the server's limit).  Neither lets slow
clients stall it: waitress reads requests on its event loop before a
worker thread takes them; under gunicorn each worker runs gevent, where a
connection that dribbles its headers holds a greenlet, not the process.

One process answers one query at a time (the engine holds a lock per
query), so using more than one core takes more processes: ``--workers N``.
Each gunicorn worker opens the index itself, after the fork, and picks up
new commits by itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.ggevent import GeventWorker
from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

from govsearch.webui.errors import error_body, error_code

# gunicorn's largest request line (its own ceiling; 0 would mean unlimited
# memory per connection).  The app's query-string cap (webui.inputs) is
# below it, so every over-long query gets the app's JSON 400 first.
REQUEST_LINE_LIMIT = 8190
# waitress: request line and headers together.
HEADER_LIMIT = 65536
TOO_LONG = ("请求行或请求头过长：最多 {limit} 字节，查询最多 500 个字符 (request line or headers too long: at most "
            "{limit} bytes; a query is at most 500 characters)")


def _response(status: int, reason: str, message: str) -> bytes:
    """A complete HTTP/1.1 error response with the API's JSON error body."""
    body = error_body(error_code(reason), message)
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


# ---------------------------------------------------------------- gunicorn
class Worker(GeventWorker):
    """A gevent worker whose transport-level errors are JSON like the app's."""

    def handle_error(self, req, client, addr, exc):
        if isinstance(exc, LimitRequestLine | LimitRequestHeaders):
            status, reason = (414, "URI Too Long") if isinstance(exc, LimitRequestLine) else \
                (431, "Request Header Fields Too Large")
            self.log.warning("rejected a request from %s: %s", (addr or ("",))[0], exc)
            with contextlib.suppress(OSError):  # the client may be gone already
                client.sendall(_response(status, reason, TOO_LONG.format(limit=REQUEST_LINE_LIMIT)))
            return
        super().handle_error(req, client, addr, exc)


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


def serve_gunicorn(factory: Callable[[], Any], *, host: str, port: int, workers: int, deadline: float) -> None:
    """``workers`` pre-forked gevent processes.  gunicorn's own timeout, a
    little past the request deadline, restarts a worker stuck in work that
    never reaches a deadline check."""
    GunicornServer(factory, {"bind": f"{host}:{port}", "workers": workers,
                             "worker_class": f"{__name__}.Worker", "worker_connections": 1000,
                             "preload_app": False, "timeout": int(deadline) + 30,
                             "limit_request_line": REQUEST_LINE_LIMIT, "limit_request_field_size": REQUEST_LINE_LIMIT,
                             "graceful_timeout": 10, "accesslog": None, "errorlog": "-", "loglevel": "warning",
                             "proc_name": "govsearch"}).run()


# ---------------------------------------------------------------- waitress
class _JSONErrorTask(ErrorTask):
    """waitress's own error answers (431, 400 for a malformed request …) in JSON."""

    def execute(self):
        error = self.request.error
        self.status = f"{error.code} {error.reason}"
        body = error_body(error_code(error.reason), f"{error.reason}: {error.body}")
        self.response_headers.append(("Content-Type", "application/json; charset=utf-8"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    error_task_class = _JSONErrorTask


def serve_waitress(app: Any, *, host: str, port: int, threads: int) -> None:
    server = create_server(app, host=host, port=port, threads=threads, ident="govsearch",
                           max_request_header_size=HEADER_LIMIT)
    # One listener, or several (a host name with IPv4 and IPv6 addresses).
    listeners = [server] if isinstance(server, BaseWSGIServer) else list(server.map.values())
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = _Channel
    server.print_listen("Serving on http://{}:{}")
    server.run()

