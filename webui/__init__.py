"""The Flask app factory: JSON API and HTML views over one search engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from govsearch.search.budget import DEFAULT_SECONDS
from govsearch.search.engine import Engine


def create_app(index_dir: Path | str, *, rate_limit: str | None = None, rate_limit_storage: str | None = None,
               proxies: int = 0, deadline: float = DEFAULT_SECONDS, public_url: str = "", **config: Any) -> Flask:
    """Build the app for an existing index directory.

    ``rate_limit`` (e.g. ``"120/minute"``) limits each client, counting in
    ``rate_limit_storage`` (default: this process's memory); ``proxies``
    is how many reverse proxies in front to trust for the client address;
    ``deadline`` is each request's time budget in seconds (then a 503);
    ``public_url`` is the address the OpenAPI document names as its server;
    ``config`` overrides Flask settings (tests pass ``TESTING=True``).
    """
    from govsearch.webui import (
        api,
        errors,
        inputs,
        instruments_api,
        instruments_views,
        ratelimit,
        security,
        sources_api,
        sources_views,
        views,
    )

    app = Flask(__name__)
    app.config.update(JSON_AS_ASCII=False, GOVSEARCH_PUBLIC_URL=public_url.rstrip("/"), **config)
    app.json.ensure_ascii = False
    app.extensions["govsearch.engine"] = Engine(Path(index_dir))
    app.register_blueprint(api.bp)
    app.register_blueprint(instruments_api.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(instruments_views.bp)
    app.register_blueprint(sources_api.bp)
    app.register_blueprint(sources_views.bp)
    errors.register(app, deadline)
    inputs.register(app)
    security.register(app)
    if rate_limit:
        ratelimit.register(app, rate_limit, rate_limit_storage or ratelimit.MEMORY)
    if proxies:
        ratelimit.trust_proxies(app, proxies)
    return app
