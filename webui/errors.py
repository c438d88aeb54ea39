"""Errors as JSON under /api and as pages elsewhere; never a traceback."""

from __future__ import annotations

import json
import time

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from govsearch.search import budget
from govsearch.search.query import QueryError


def error_code(name: str) -> str:
    """An HTTP reason as the API's error code: Method Not Allowed → method_not_allowed."""
    return name.lower().replace(" ", "_")


def error_json(code: str, message: str) -> dict:
    """The one shape of every error the API returns."""
    return {"error": {"code": code, "message": message}}


def error_body(code: str, message: str) -> bytes:
    """The same, as bytes, for servers that answer before the app runs."""
    return json.dumps(error_json(code, message), ensure_ascii=False).encode("utf-8")


def error_response(status: int, code: str, message: str):
    if request.path.startswith("/api/"):
        return jsonify(error_json(code, message)), status
    return render_template("error.html", status=status, message=message), status


def register(app: Flask, deadline: float = budget.DEFAULT_SECONDS) -> None:
    """Error handlers, and the per-request time budget: ``deadline`` seconds
    for the work before a response starts (a stream, once started, is not cut)."""

    @app.before_request
    def start_budget():
        g.budget = budget.start(deadline)
        g.started = time.monotonic()

    @app.after_request
    def stop_budget(response: Response):
        token = g.pop("budget", None)
        if token is not None:
            budget.stop(token)
        return response

    @app.errorhandler(QueryError)
    def bad_query(exc: QueryError):
        return error_response(400, "bad_request", str(exc))

    @app.errorhandler(budget.DeadlineExceeded)
    def too_slow(exc: budget.DeadlineExceeded):
        app.logger.warning("deadline of %g s exceeded after %.1f s: %s %s", exc.seconds,
                           time.monotonic() - g.get("started", time.monotonic()), request.method,
                           request.full_path[:600])
        return error_response(503, "deadline_exceeded", str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = error_code(exc.name or "error")
        body, status = error_response(exc.code or 500, code, exc.description or exc.name)
        response = app.make_response((body, status))
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)  # RFC 9110: a 405 lists what is allowed
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        return error_response(500, "internal_error", "服务器内部错误 (internal server error)")
