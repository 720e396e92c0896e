"""Log lines as JSON, one object per line, for a log shipper to read (``LOG_FORMAT=json``).

Every line has its time in UTC (ISO 8601), level, logger, message and the request id
(``core.requestid``); a request's access line adds method, route, status and duration, a
task's lines add the task's name and id. ``LOG_FORMAT=text`` gives the same fields as a
plain line, for a person at a terminal (the demo's default).
"""

from __future__ import annotations

import datetime
import logging

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

# Attributes of a LogRecord never repeated as extra fields (Python's own, and uvicorn's
# coloured copy of the message).
RESERVED = [*RESERVED_ATTRS, "taskName", "color_message"]


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", RESERVED)
        kwargs.setdefault(
            "rename_fields", {"levelname": "level", "name": "logger", "asctime": "time"}
        )
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s", *args, **kwargs)

    def formatTime(self, record, datefmt=None):
        moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        if not log_data.get("request_id"):
            log_data.pop("request_id", None)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return super().format(record)
