"""A time budget for one request: the long loops of the read path check it.

Python cannot stop a thread from outside, so a runaway request is ended
from inside: the loops whose length depends on the query (records read,
terms looked up, reports scanned for sections or concordance lines) call
:func:`check`, which raises :class:`DeadlineExceeded` once the budget set
by :func:`start` is spent.  Without a budget (the CLI, tests, a response
that is already streaming) :func:`check` does nothing.
"""

from __future__ import annotations

import time
from contextvars import ContextVar, Token

DEFAULT_SECONDS = 30.0

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("govsearch_deadline", default=None)


class DeadlineExceeded(RuntimeError):
    """The request ran past its budget; the server answers 503."""

    def __init__(self, seconds: float):
        super().__init__(f"查询超过 {seconds:g} 秒的处理时限，请缩小查询范围后重试 "
                         f"(the request ran past its {seconds:g} s deadline; narrow the query and try again)")
        self.seconds = seconds


def start(seconds: float) -> Token:
    """Give the current context ``seconds`` from now; returns the token for :func:`stop`."""
    return _deadline.set((time.monotonic() + seconds, seconds))


def stop(token: Token) -> None:
    _deadline.reset(token)


def check() -> None:
    """Raise DeadlineExceeded if the current budget is spent."""
    budget = _deadline.get()
    if budget is not None and time.monotonic() > budget[0]:
        raise DeadlineExceeded(budget[1])

