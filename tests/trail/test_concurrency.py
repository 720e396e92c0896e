"""Officers acting on different files at the same moment still write one linear chain."""

# ruff: noqa: F811

import threading
import traceback

import pytest
from django.db import connection

from permits.models import Application, ApplicationEvent, Stage
from permits.services.context import Actor
from permits.services.events import file_event
from tests.permits.conftest import step
from tests.trail.conftest import chain, new_file, office, walk  # noqa: F401
from trail.chain import GENESIS
from trail.models import ChainHead
from trail.verify import chain_verify


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_and_events_form_one_chain_that_verifies(office):
    apps = [walk(office, new_file(office, office.simple_type), Stage.SUBMITTED) for _ in range(4)]
    before = ApplicationEvent.objects.count()
    barrier = threading.Barrier(len(apps) + 1)
    errors = []

    def move(app):
        try:
            barrier.wait()
            # step(), not walk(): django-fsm's refresh_from_db unprotects the state field
            # for every thread at once, so threads must not call it.
            app = Application.objects.get(pk=app.pk)
            while app.state != Stage.SIGNING:
                app = step(office, Application.objects.get(pk=app.pk))
        except Exception:  # reported below: a thread's exception would vanish
            errors.append(traceback.format_exc())
        finally:
            connection.close()

    def note_events():
        try:
            barrier.wait()
            for i in range(20):
                file_event(
                    application=Application.objects.get(pk=apps[i % len(apps)].pk),
                    action="test.concurrent_note",
                    actor=Actor(user=None),
                    data={"i": i},
                )
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(app,)) for app in apps]
    threads.append(threading.Thread(target=note_events))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [], errors[0] if errors else ""
    moved = Application.objects.filter(pk__in=[a.pk for a in apps])
    assert {a.state for a in moved} == {Stage.SIGNING}
    events = chain()
    assert len(events) > before + 20
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    prev = GENESIS
    for event in events:
        assert event.prev_hash == prev
        prev = event.hash
    assert ChainHead.objects.get().hash == prev
    report = chain_verify()
    assert report.ok, report.problem
    assert report.checked == len(events)
