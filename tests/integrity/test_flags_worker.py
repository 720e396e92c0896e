"""The rules run in a real Celery worker, from the Redis broker, once the event commits."""

from __future__ import annotations

import time

import pytest

from integrity.models import Flag
from permits.models import Stage
from permits.services.context import ActionRefused
from tests.factories import fire, hold, new_file, walk


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_raises_the_flag_after_the_attempt_commits(celery_worker, office):
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    hold(office, app)
    app.refresh_from_db()
    with pytest.raises(ActionRefused):
        fire(app, "finish_review", app.assigned_to)
    deadline = time.monotonic() + 30
    while not Flag.objects.filter(rule="HELD").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    flag = Flag.objects.get(rule="HELD")
    assert flag.application_id == app.pk
    assert flag.officer_id == app.assigned_to_id
