"""Officers acting on different files at the same moment still write one linear chain."""

import threading
import traceback

import pytest
from django.db import connection

from permits.models import Application, ApplicationEvent, Stage
from permits.services.context import Actor
from permits.services.events import file_event
from tests.factories import new_file, step, walk
from tests.trail.kit import chain
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sealed_write_then_a_file_lock_does_not_deadlock_with_an_event_writer(office):
    """T1 records a staff view of file A (a sealed row) and then locks file B; T2 holds B's
    lock and writes B's event meanwhile. Were the view sealed at once, T1 would hold the
    chain head while waiting for B, and T2 hold B while waiting for the head: a deadlock.
    Sealed just before T1 commits, T2 goes first and both commit."""
    from django.db import transaction

    from accounts.models import Role
    from permits.models import FileView
    from trail.models import Seal

    file_a, file_b = new_file(office), new_file(office)
    b_locked, viewed = threading.Event(), threading.Event()
    errors = []

    def viewer():
        try:
            b_locked.wait(10)
            with transaction.atomic():
                view = FileView.objects.create(
                    application_id=file_a.pk, viewer=office.counter, viewer_role=Role.COUNTER
                )
                viewed.set()
                Application.objects.select_for_update().get(pk=file_b.pk)
            assert Seal.objects.filter(model="permits.fileview", row_id=view.pk).exists()
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            viewed.set()
            connection.close()

    def event_writer():
        try:
            with transaction.atomic():
                app = Application.objects.select_for_update().get(pk=file_b.pk)
                b_locked.set()
                viewed.wait(10)
                threading.Event().wait(0.5)  # the viewer is now waiting for B's lock
                file_event(application=app, action="test.locked_note", actor=Actor(user=None))
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            b_locked.set()
            connection.close()

    threads = [threading.Thread(target=viewer), threading.Thread(target=event_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [], errors[0] if errors else ""
    report = chain_verify()
    assert report.ok, report.problem
