"""Operations (issue 20.9): the request id in the response, the logs and the tasks; JSON
log lines; the Prometheus endpoint and what it reports."""

import datetime
import io
import json
import logging
import re
import time

import pytest
import time_machine
from django.utils import timezone

from core import requestid
from core.logs import JsonFormatter, TextFormatter
from core.queue import enqueue
from outbox.models import Channel, Message, MessageStatus
from portal.celery import app as celery_app
from tests.factories import submitted

pytestmark = pytest.mark.django_db

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def log_lines():
    """What the deployment's console handler writes, as parsed JSON objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(requestid.RequestIdFilter())
    loggers = [logging.getLogger(name) for name in ("terang.request", "terang.test")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    for logger in loggers:
        logger.removeHandler(handler)


# --- The request id --------------------------------------------------------------------


def test_every_response_carries_a_new_id(client):
    first = client.get("/healthz/live")["X-Request-ID"]
    second = client.get("/healthz/live")["X-Request-ID"]
    assert HEX_ID.match(first) and HEX_ID.match(second) and first != second


def test_the_proxys_id_is_kept(client):
    response = client.get("/healthz/live", HTTP_X_REQUEST_ID="caddy-7f3a9c21")
    assert response["X-Request-ID"] == "caddy-7f3a9c21"


@pytest.mark.parametrize("sent", ["short", "x" * 65, "has space in it", "line\nbreak-1234", ""])
def test_an_id_that_is_not_a_plain_token_is_replaced(client, sent):
    response = client.get("/healthz/live", HTTP_X_REQUEST_ID=sent)
    assert HEX_ID.match(response["X-Request-ID"])


def test_the_access_line_names_the_route_never_the_secret_path(client, log_lines, office):
    app = submitted(office)
    response = client.get(f"/lacak/{app.tracking_code}/")
    assert response.status_code == 200
    line = next(line for line in log_lines() if line["logger"] == "terang.request")
    assert line["request_id"] == response["X-Request-ID"]
    assert line["route"] == "/lacak/<str:code>/"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["duration_ms"] >= 0
    assert app.tracking_code not in json.dumps(line)
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", line["time"])
    assert line["level"] == "INFO"


def test_a_task_run_in_process_logs_under_the_request_id(log_lines):
    @celery_app.task(name="tests.operations.say_in_process")
    def say():
        logging.getLogger("terang.test").info("in the task")

    token = requestid.current.set("request-in-process-1")
    try:
        say.delay()
    finally:
        requestid.current.reset(token)
    line = next(line for line in log_lines() if line["message"] == "in the task")
    assert line["request_id"] == "request-in-process-1"


@celery_app.task(name="tests.operations.say_in_worker")
def say_in_worker():
    logging.getLogger("terang.test").info("in the worker")


def test_a_task_in_a_real_worker_logs_under_the_request_id(celery_worker, log_lines):
    token = requestid.current.set("request-to-worker-2")
    try:
        assert enqueue(say_in_worker)
    finally:
        requestid.current.reset(token)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        said = [line for line in log_lines() if line["message"] == "in the worker"]
        if said:
            break
        time.sleep(0.1)
    assert said and said[0]["request_id"] == "request-to-worker-2"


def test_a_task_beat_started_logs_under_its_own_id(log_lines):
    class Request:
        is_eager = False
        headers = None

    class Task:
        request = Request()

    requestid.task_started(task_id="5b0c1b6e-0c77-4e2a-9d0f-3f1b2e7c9a10", task=Task())
    try:
        logging.getLogger("terang.test").info("beat's task")
    finally:
        requestid.task_finished(task_id="5b0c1b6e-0c77-4e2a-9d0f-3f1b2e7c9a10")
    line = next(line for line in log_lines() if line["message"] == "beat's task")
    assert line["request_id"] == "5b0c1b6e-0c77-4e2a-9d0f-3f1b2e7c9a10"
    assert requestid.current.get() == ""


def test_tasks_go_to_their_kinds_queue():
    route = celery_app.amqp.router.route
    assert route({}, "issuance.tasks.render_permit")["queue"].name == "rendering"
    assert route({}, "permits.tasks.render_receipt")["queue"].name == "rendering"
    assert route({}, "outbox.tasks.deliver_messages")["queue"].name == "messages"
    assert route({}, "integrity.tasks.evaluate_flags")["queue"].name == "flags"
    assert route({}, "trail.tasks.record_chain_day")["queue"].name == "default"
    assert {q.name for q in celery_app.conf.task_queues} == {
        "default",
        "rendering",
        "messages",
        "flags",
    }


# --- Log lines -------------------------------------------------------------------------


def test_a_log_line_is_one_json_object_with_the_exception():
    record = logging.LogRecord("terang.x", logging.ERROR, __file__, 1, "failed %s", ("ab",), None)
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    requestid.RequestIdFilter().filter(record)
    text = JsonFormatter().format(record)
    assert "\n" not in text
    body = json.loads(text)
    assert body["message"] == "failed ab"
    assert body["level"] == "ERROR"
    assert "ValueError: boom" in body["exc_info"]
    assert "request_id" not in body  # outside a request: no empty field


def test_the_text_format_shows_the_id():
    record = logging.LogRecord("terang.x", logging.INFO, __file__, 1, "hello", (), None)
    token = requestid.current.set("abc12345")
    try:
        requestid.RequestIdFilter().filter(record)
    finally:
        requestid.current.reset(token)
    assert "[abc12345] hello" in TextFormatter().format(record)


# --- /metrics ----------------------------------------------------------------------------

TOKEN = "scrape-token-for-tests"


def scrape(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_metrics_do_not_exist_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert scrape(client).status_code == 404


@pytest.mark.parametrize("token", ["", "wrong", TOKEN + "x"])
def test_metrics_refuse_a_scraper_without_the_token(client, settings, token):
    settings.METRICS_TOKEN = TOKEN
    response = scrape(client, token)
    assert response.status_code == 401
    assert b"terang_" not in response.content


def test_metrics_refuse_post(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405


def gauge(body: str, name: str, **labels) -> float | None:
    wanted = ",".join(f'{key}="{value}"' for key, value in labels.items())
    head = f"{name}{{{wanted}}}" if labels else name
    for line in body.splitlines():
        if line.startswith(head + " "):
            return float(line.split()[-1])
    return None


def test_metrics_report_late_files_per_unit_and_the_outbox(client, settings, office):
    settings.METRICS_TOKEN = TOKEN
    submitted(office)  # a DINKES type, due in 5 working days
    on_time = submitted(office)
    Message.objects.all().update(status=MessageStatus.SENT)
    created = timezone.now() - datetime.timedelta(minutes=10)
    for _ in range(2):
        Message.objects.create(
            recipient=office.applicant,
            channel=Channel.EMAIL,
            address="siti@example.com",
            kind="test",
            subject="s",
            body="b",
            created_at=created,
        )
    client.get("/healthz/live")  # a request for the latency metrics
    body = scrape(client).content.decode()
    assert gauge(body, "terang_files_open", unit="DINKES") == 2
    assert gauge(body, "terang_files_late", unit="DINKES") == 0
    assert gauge(body, "terang_outbox_backlog", channel="email") == 2
    assert 590 <= gauge(body, "terang_outbox_oldest_seconds") < 3600
    assert "django_http_requests_latency_seconds_by_view_method" in body

    with time_machine.travel(on_time.check_due_at + datetime.timedelta(days=1)):
        body = scrape(client).content.decode()
    assert gauge(body, "terang_files_late", unit="DINKES") == 2


def test_metrics_report_the_queues_and_a_broker_down(client, settings, office):
    settings.METRICS_TOKEN = TOKEN
    body = scrape(client).content.decode()
    if settings.REDIS_URL:
        assert gauge(body, "terang_broker_up") == 1
        assert gauge(body, "terang_queue_length", queue="rendering") is not None
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens: a real refusal
    response = scrape(client)
    assert response.status_code == 200  # the database's gauges still come
    body = response.content.decode()
    assert gauge(body, "terang_broker_up") == 0
    assert gauge(body, "terang_files_open", unit="DINKES") is None  # no files: no row
