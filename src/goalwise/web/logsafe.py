"""Logging that never carries client content.

Exception text and tracebacks can hold SQL parameters (a client id, a mood value, a note), so
every log line keeps only the exception's type: ``RedactFilter`` drops the traceback and the
exception text from each record that passes a handler. ``LOG_CONFIG`` is the configuration
``goalwise serve`` gives uvicorn, so uvicorn's own error log is redacted the same way, and
SQLAlchemy's statement logging stays off whatever the log level.
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["RedactFilter", "log_config"]


class RedactFilter(logging.Filter):
    """Replaces a record's traceback with the exception's type name; keeps the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Strip ``exc_info``, ``exc_text`` and ``stack_info``; name the exception type in the message."""
        if record.exc_info and record.exc_info[0] is not None:
            kind = record.exc_info[0].__name__
            # The message template is ours or uvicorn's; its arguments may be client content.
            record.msg = f"{record.msg} ({kind})" if isinstance(record.msg, str) else kind
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def log_config(level: str) -> dict[str, Any]:
    """The ``logging.config.dictConfig`` for the server: one redacted handler on stderr."""
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "formatter": "plain",
        "filters": ["redact"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": RedactFilter}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            # The access log holds query strings (dates, search terms): never on.
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            # Statement logging prints parameters: never below WARNING.
            "sqlalchemy": {"level": "WARNING"},
        },
    }
