"""The Flask app factory: JSON API and HTML views over one search engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from search.engine import Engine


def create_app(index_dir: Path | str, *, rate_limit: str | None = None, rate_limit_storage: str | None = None,
               proxies: int = 0, **config: Any) -> Flask:
    """Build the app for an existing index directory.

    ``rate_limit`` (e.g. ``"120/minute"``) limits each client, counting in
    ``rate_limit_storage`` (default: this process's memory); ``proxies``
    is how many reverse proxies in front to trust for the client address;
    ``config`` overrides Flask settings (tests pass ``TESTING=True``).
    """
    from webui import api, errors, inputs, ratelimit, security, views

    app = Flask(__name__)
    app.config.update(JSON_AS_ASCII=False, **config)
    app.json.ensure_ascii = False
    app.extensions["govsearch.engine"] = Engine(Path(index_dir))
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    errors.register(app)
    inputs.register(app)
    security.register(app)
    if rate_limit:
        ratelimit.register(app, rate_limit, rate_limit_storage or ratelimit.MEMORY)
    if proxies:
        ratelimit.trust_proxies(app, proxies)
    return app
