"""Two officers clicking at once, or one clicking twice: exactly one act happens."""

import threading

import pytest
from django.db import connection

from permits.models import Application, Stage
from permits.services.applications import transition_fire
from permits.services.context import ActionRefused
from tests.factories import act, fire, new_file, walk


@pytest.mark.django_db
def test_a_double_click_fires_once_and_the_second_gets_a_clear_message(office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    officer = app.assigned_to
    fire(app, "begin_verification", officer, expected_state=Stage.SUBMITTED)
    with pytest.raises(ActionRefused, match="sudah berubah"):
        fire(app, "begin_verification", officer, expected_state=Stage.SUBMITTED)
    assert app.events.filter(action="application.verification_started").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_threads_firing_the_same_transition_one_wins(office):
    app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    supervisor = app.assigned_to
    barrier = threading.Barrier(2)
    outcomes = []

    def approve():
        try:
            barrier.wait()
            transition_fire(
                application=Application.objects.get(pk=app.pk),
                name="approve",
                actor=act(supervisor),
                expected_state=Stage.APPROVAL,
            )
            outcomes.append("won")
        except ActionRefused as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=str)[-1] == "won"
    assert outcomes.count("won") == 1
    loser = next(o for o in outcomes if o != "won")
    assert "sudah berubah" in str(loser)
    app.refresh_from_db()
    assert app.state == Stage.SIGNING
    assert app.events.filter(action="application.approved").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_different_transitions_from_one_state_one_wins(office):
    app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    supervisor = app.assigned_to
    barrier = threading.Barrier(2)
    outcomes = []

    def run(name, **kwargs):
        try:
            barrier.wait()
            transition_fire(
                application=Application.objects.get(pk=app.pk),
                name=name,
                actor=act(supervisor),
                expected_state=Stage.APPROVAL,  # what both pages showed, as the views send
                **kwargs,
            )
            outcomes.append(name)
        except ActionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("approve",)),
        threading.Thread(
            target=run,
            args=("reject",),
            kwargs={"reason": "Tidak layak", "legal_basis": "Perda 1/2024"},
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("refused") == 1
    app.refresh_from_db()
    assert app.state in {Stage.SIGNING, Stage.REJECTED}
    assert (
        app.events.filter(action__in=["application.approved", "application.rejected"]).count() == 1
    )
