import pytest
from django.db import transaction

from permits.models import NumberSequence
from permits.numbering import next_value, registration_number_next
from tests.factories import at_once


@pytest.mark.django_db
def test_registration_numbers_are_consecutive_and_per_year():
    import datetime
    import zoneinfo

    wib = zoneinfo.ZoneInfo("Asia/Jakarta")
    with transaction.atomic():
        first = registration_number_next(datetime.datetime(2026, 12, 31, 23, 0, tzinfo=wib))
        second = registration_number_next(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=wib))
        new_year = registration_number_next(datetime.datetime(2027, 1, 1, 0, 5, tzinfo=wib))
    assert (first, second, new_year) == ("MPP-2026-000001", "MPP-2026-000002", "MPP-2027-000001")


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_its_number_back():
    with transaction.atomic():
        assert next_value("x") == 1

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        assert next_value("x") == 2
        raise Boom
    with transaction.atomic():
        assert next_value("x") == 2


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        next_value("x")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_share_or_skip_a_number():
    def worker():
        numbers = []
        for _ in range(10):
            with transaction.atomic():
                numbers.append(next_value("registration:2099"))
        return numbers

    batches, errors = at_once(worker, 8)
    results = [number for batch in batches for number in batch]
    assert not errors
    assert sorted(results) == list(range(1, 81))
    assert NumberSequence.objects.get(key="registration:2099").value == 80
