"""The Flask app factory: JSON API and HTML views over one search engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from search.engine import Engine


def create_app(index_dir: Path | str, **config: Any) -> Flask:
    """Build the app for an existing index directory.

    ``config`` overrides Flask settings (tests pass ``TESTING=True``).
    """
    from webui import api, errors, security, views

    app = Flask(__name__)
    app.config.update(JSON_AS_ASCII=False, **config)
    app.json.ensure_ascii = False
    app.extensions["govsearch.engine"] = Engine(Path(index_dir))
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    errors.register(app)
    security.register(app)
    return app
