"""One "no conflict" declaration per officer per file (issue 16, point 13): a double
click, or six at once, records one declaration and answers each click as done."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from integrity.conflicts.services.declarations import file_declare
from integrity.models import FileDeclaration
from permits.models import Application
from permits.services.applications import application_submit
from tests.factories import act, new_file, upload_mandatory


def submitted(office) -> Application:
    """A submitted file held by the counter officer, who has not declared yet."""
    app = new_file(office)
    upload_mandatory(office, app)
    return application_submit(application=app, actor=act(office.applicant))


def clear_declarations(app) -> int:
    return FileDeclaration.objects.filter(application=app, has_conflict=False).count()


@pytest.mark.django_db
def test_a_double_posted_no_conflict_declaration_is_recorded_once(client, office):
    app = submitted(office)
    client.force_login(app.assigned_to)
    url = reverse("integrity:declare", args=[app.public_id])
    first = client.post(url, {"has_conflict": "0"}, follow=True)
    second = client.post(url, {"has_conflict": "0"}, follow=True)
    assert first.status_code == second.status_code == 200
    assert "Pernyataan tidak ada konflik kepentingan tercatat" in second.content.decode()
    assert clear_declarations(app) == 1
    assert app.events.filter(action="integrity.declared_clear").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_clear_declaration(office):
    app = submitted(office)
    first = file_declare(application=app, actor=act(app.assigned_to), has_conflict=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        FileDeclaration.objects.create(
            application=app, officer=first.officer, stage=first.stage, has_conflict=False
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_no_conflict_declarations_make_one_row_and_no_error(office):
    app = submitted(office)
    officer = app.assigned_to
    barrier = threading.Barrier(6)
    outcomes = []

    def declare():
        try:
            barrier.wait()
            declaration = file_declare(
                application=Application.objects.get(pk=app.pk),
                actor=act(officer),
                has_conflict=False,
            )
            outcomes.append(declaration.pk)
        except Exception as exc:  # any error is the failure this test looks for
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=declare) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert clear_declarations(app) == 1
    only = FileDeclaration.objects.get(application=app).pk
    assert outcomes == [only] * 6
    assert app.events.filter(action="integrity.declared_clear").count() == 1
