"""``manage.py verify_audit_trail``: exit 0 and the head when intact, 1 and the first broken
link otherwise."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.trail.kit import behind_the_back, chain

pytestmark = pytest.mark.django_db


def verify(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit_trail", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_an_intact_trail_exits_0_with_the_count_and_the_head(files):
    newest = chain()[-1]
    status, out, err = verify("--chunk-size", "5")
    assert status == 0 and err == ""
    assert f"OK: {len(chain())} event(s) checked; head seq {newest.seq}, hash {newest.hash}." in out


def test_a_broken_trail_exits_1_naming_the_first_broken_link(files):
    with behind_the_back() as cursor:
        cursor.execute("DELETE FROM permits_applicationevent WHERE seq = 3")
    status, out, err = verify()
    assert status == 1 and out == ""
    assert "missing seq 3: rows were deleted" in err
    assert "The audit trail is broken: 2 event(s) hold, up to seq 2." in err


def test_a_kept_head_is_checked(files):
    event = chain()[5]
    assert verify("--expect", f"{event.seq}:{event.hash.upper()}")[0] == 0
    status, _out, err = verify("--expect", f"{event.seq}:{event.hash}", "--expect", f"2:{'d' * 64}")
    assert status == 1
    assert f"the expected head is seq 2 with hash {'d' * 64}" in err


def test_a_kept_head_past_the_end(files):
    status, _out, err = verify("--expect", f"{len(chain()) + 5}:{'e' * 64}")
    assert status == 1 and "the newest rows were deleted" in err


def test_a_malformed_expectation_is_refused(files):
    with pytest.raises(CommandError, match="expected SEQ:HASH"):
        call_command("verify_audit_trail", "--expect", "12:nothex", stdout=StringIO())
