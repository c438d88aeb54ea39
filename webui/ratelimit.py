"""Optional per-client rate limiting (Flask-Limiter), off unless asked for.

A public deployment turns it on (``govsearch serve --rate-limit 120/minute``)
so one script cannot starve everyone else; a research group's own server
needs none.  Counters live in memory by default: per process, so behind N
workers a client gets up to N times the limit.  ``--rate-limit-storage
redis://…`` keeps them in Redis, shared by every worker and machine.

Behind a reverse proxy or load balancer every request comes from the
proxy's address; ``--proxies N`` trusts the last N ``X-Forwarded-For``
hops (Werkzeug's ProxyFix), so clients are told apart again.  Never set it
on a server reachable without the proxy: clients could then pick their own
address.
"""

from __future__ import annotations

from flask import Flask

MEMORY = "memory://"


def check_rate(rate: str) -> str:
    """``"120/minute"``, ``"10 per second; 1000/day"`` …; ValueError otherwise."""
    from limits import parse_many

    try:
        parse_many(rate)
    except ValueError as exc:
        raise ValueError(f"不是合法的限速 (not a rate limit such as 120/minute): {rate!r}") from exc
    return rate


def check_storage(uri: str) -> str:
    """A counter store Flask-Limiter knows and can reach now; ValueError
    otherwise, so a typo fails at start rather than on the first request."""
    from limits.errors import ConfigurationError
    from limits.storage import storage_from_string

    try:
        storage = storage_from_string(uri)
    except ConfigurationError as exc:
        raise ValueError(f"不是可用的限速存储 (not a rate-limit store such as redis://host:6379/0: {uri!r}; "
                         f"{exc})") from exc
    try:
        reachable = storage.check()
    except Exception:  # each backend raises its own client library's errors
        reachable = False
    if not reachable:
        raise ValueError(f"无法连接限速存储 (cannot reach the rate-limit store {uri})")
    return uri


def register(app: Flask, rate: str, storage_uri: str = MEMORY) -> None:
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    Limiter(get_remote_address, app=app, default_limits=[check_rate(rate)], storage_uri=storage_uri,
            headers_enabled=True)


def trust_proxies(app: Flask, hops: int) -> None:
    """Take the client address from the last ``hops`` X-Forwarded-For entries."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops)
