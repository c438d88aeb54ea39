"""govsearch: full-text search over Chinese government reports.

This package is the composition root - configuration and the command line -
that brings the write path (``index``), the read path (``search``) and the
web app (``webui``) together.
"""

from govsearch.search.frames import read_export

__all__ = ["read_export"]
