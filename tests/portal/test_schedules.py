import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from portal.schedules import SCHEDULES, schedules_install

pytestmark = pytest.mark.django_db


def test_it_installs_every_schedule_once():
    first = schedules_install()
    assert set(first.values()) == {"installed"}
    assert set(PeriodicTask.objects.values_list("name", flat=True)) >= {s.name for s in SCHEDULES}


def test_running_it_again_changes_nothing():
    schedules_install()
    before = list(PeriodicTask.objects.order_by("name").values())
    assert set(schedules_install().values()) == {"unchanged"}
    after = list(PeriodicTask.objects.order_by("name").values())
    strip = lambda rows: [{k: v for k, v in r.items() if k != "date_changed"} for r in rows]  # noqa: E731
    assert strip(after) == strip(before)


def test_it_repairs_an_edited_schedule_and_removes_retired_ones():
    schedules_install()
    task = PeriodicTask.objects.get(name=SCHEDULES[0].name)
    task.task = "portal.tasks.something_else"
    task.save()
    PeriodicTask.objects.create(
        name="portal.retired", task="portal.tasks.retired", crontab=task.crontab
    )
    PeriodicTask.objects.create(name="hand-made", task="x.y", crontab=task.crontab)
    outcome = schedules_install()
    assert outcome[SCHEDULES[0].name] == "updated"
    assert outcome["portal.retired"] == "removed"
    assert PeriodicTask.objects.get(name=SCHEDULES[0].name).task == SCHEDULES[0].task
    assert PeriodicTask.objects.filter(name="hand-made").exists()


def test_the_command_prints_what_it_did(capsys):
    call_command("install_schedules")
    assert f"{SCHEDULES[0].name}: installed" in capsys.readouterr().out
