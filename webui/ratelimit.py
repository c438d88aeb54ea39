"""Optional per-client rate limiting (Flask-Limiter), off unless asked for.

A public deployment turns it on (``govsearch serve --rate-limit 120/minute``)
so one script cannot starve everyone else; a research group's own server
needs none.  Counters live in memory: per process, which is what a single
``serve`` is; behind several workers each worker counts its own share.
"""

from __future__ import annotations

from flask import Flask


def check_rate(rate: str) -> str:
    """``"120/minute"``, ``"10 per second; 1000/day"`` …; ValueError otherwise."""
    from limits import parse_many

    try:
        parse_many(rate)
    except ValueError as exc:
        raise ValueError(f"不是合法的限速 (not a rate limit such as 120/minute): {rate!r}") from exc
    return rate


def register(app: Flask, rate: str) -> None:
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    Limiter(get_remote_address, app=app, default_limits=[check_rate(rate)], storage_uri="memory://",
            headers_enabled=True)
