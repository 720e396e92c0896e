"""One id per request, on every log line it causes, in the tasks it enqueues too.

The proxy's ``X-Request-ID`` is kept when it is a plain token (so the proxy's access log,
Django's lines and a worker's lines about the same click share one id); otherwise a new
one is made. The id goes back in the response's ``X-Request-ID``. A task enqueued while a
request is being served carries the id in its message headers (``before_task_publish``)
and the worker logs under it; a task beat started logs under its own task id.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
TASK_HEADER = "terang_request_id"
_TOKEN = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

current = contextvars.ContextVar("request_id", default="")

access_logger = logging.getLogger("terang.request")


def request_id_from(value: str | None) -> str:
    """The proxy's id if it is a plain token of 8 to 64 characters, else a new one."""
    if value and _TOKEN.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request's id for the log and answers with it; logs one line per request:
    method, the route's pattern (never the path: a tracking code is a secret), status and
    time taken."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.META.get(META_KEY))
        token = current.set(request_id)
        request.request_id = request_id
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            match = getattr(request, "resolver_match", None)
            access_logger.info(
                "%s %s %s",
                request.method,
                f"/{match.route}" if match and match.route else "-",
                response.status_code,
                extra={
                    "method": request.method,
                    "route": f"/{match.route}" if match and match.route else None,
                    "view": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request's (or task's) id on every record as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current.get()
        return True


# --- Celery: the id travels in the task message's headers ---------------------------------


def task_publish_headers(headers: dict | None = None, **_kwargs) -> None:
    """``before_task_publish``: the current request's id into the message."""
    request_id = current.get()
    if headers is not None and request_id:
        headers.setdefault(TASK_HEADER, request_id)


_task_tokens: dict[str, contextvars.Token] = {}


def task_started(task_id: str | None = None, task=None, **_kwargs) -> None:
    """``task_prerun``: log under the id the message carried, else under the task's id.
    An eager task (run in process, inside the request) keeps the request's id."""
    if task is not None and getattr(task.request, "is_eager", False) and current.get():
        return
    carried = getattr(task.request, TASK_HEADER, None) if task is not None else None
    if carried is None and task is not None:
        carried = (getattr(task.request, "headers", None) or {}).get(TASK_HEADER)
    _task_tokens[task_id or ""] = current.set(request_id_from(carried or task_id))


def task_finished(task_id: str | None = None, **_kwargs) -> None:
    """``task_postrun``: back to no id."""
    token = _task_tokens.pop(task_id or "", None)
    if token is not None:
        try:
            current.reset(token)
        except ValueError:  # set in another context (a thread pool): clear instead
            current.set("")
