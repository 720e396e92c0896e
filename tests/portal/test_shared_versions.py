"""A version bumped inside a transaction moves again when it commits: another process that
read the old rows between the bump and the commit keeps what it rendered from them under
a version that is then already gone."""

import pytest
from django.db import transaction

from core.cache import shared_version, shared_version_bump

KEY = "test:shared-version"


@pytest.mark.django_db(transaction=True)
def test_a_bump_inside_a_transaction_is_bumped_again_on_commit():
    with transaction.atomic():
        during = shared_version_bump(KEY)
        assert shared_version(KEY) == during  # seen at once, as before
    assert shared_version(KEY) != during


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_bump_is_not_bumped_again():
    with pytest.raises(RuntimeError), transaction.atomic():
        during = shared_version_bump(KEY)
        raise RuntimeError("rolled back")
    assert shared_version(KEY) == during


def test_outside_a_transaction_one_bump_is_enough():
    version = shared_version_bump(KEY)
    assert shared_version(KEY) == version
