import time

import pytest
from django.core.cache import cache
from django.db import transaction

from core.health import HEARTBEAT_KEY
from portal.celery import app
from portal.tasks import heartbeat


def test_tasks_are_django_tasks_that_can_wait_for_the_commit():
    assert hasattr(heartbeat, "delay_on_commit")
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert app.conf.timezone == "Asia/Jakarta"


@pytest.mark.django_db
def test_a_task_enqueued_on_commit_does_not_run_if_the_transaction_rolls_back():
    cache.delete(HEARTBEAT_KEY)

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        heartbeat.delay_on_commit()
        raise Rollback
    assert cache.get(HEARTBEAT_KEY) is None


@pytest.mark.django_db
def test_a_task_enqueued_on_commit_runs_after_the_commit(django_capture_on_commit_callbacks):
    cache.delete(HEARTBEAT_KEY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        heartbeat.delay_on_commit()
        assert cache.get(HEARTBEAT_KEY) is None
    assert len(callbacks) == 1
    assert cache.get(HEARTBEAT_KEY)


@pytest.mark.redis
def test_a_real_worker_consumes_a_task_from_the_redis_broker(celery_worker):
    cache.delete(HEARTBEAT_KEY)
    result = heartbeat.delay()
    deadline = time.monotonic() + 20
    while cache.get(HEARTBEAT_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cache.get(HEARTBEAT_KEY), f"task {result.id} was not run by the worker"
