"""PreparedQuery returns what the queryset itself returns, on either database."""

import pytest

from core.prepared import PreparedQuery
from permits.models import Application, Stage
from tests.factories import new_file, walk

COLUMNS = (
    "public_id",
    "registration_number",
    "state",
    "clock_started_at",
    "sop_budget",
    "work_used",
    "finished_late",
    "assigned_to__username",
)


def by_code(code):
    return Application.objects.filter(tracking_code=code).values_list(*COLUMNS)


@pytest.fixture
def files(office):
    first = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    second = walk(office, new_file(office, office.simple_type), Stage.SUBMITTED)
    return first, second


def test_rows_equal_the_querysets_own_with_converted_types(files):
    prepared = PreparedQuery(by_code, "#sample#")
    for app in files:
        assert prepared(app.tracking_code) == list(by_code(app.tracking_code))
    first = prepared(files[0].tracking_code)[0]
    assert first[0] == files[0].public_id  # a UUID, not text
    assert first[3] is not None and first[3].tzinfo is not None  # an aware datetime
    assert first[4] is not None and first[4].total_seconds() > 0  # a timedelta
    assert prepared("NONE-SUCH-CODE") == []


def test_the_sql_is_compiled_once(files, django_assert_num_queries, monkeypatch):
    prepared = PreparedQuery(by_code, "#sample#")
    prepared(files[0].tracking_code)
    monkeypatch.setattr(prepared, "build", None)  # a second compile would call it
    with django_assert_num_queries(1):
        assert prepared(files[1].tracking_code)[0][1] == files[1].registration_number


def test_a_sample_that_is_not_a_parameter_is_refused(files):
    prepared = PreparedQuery(lambda code: by_code("fixed"), "#sample#")
    with pytest.raises(ValueError):
        prepared(files[0].tracking_code)
