"""Signing up and resetting a password while Redis is down (issue 16, point 1): their rate
limits fail open, the account and its code are stored, the code's message waits in the
outbox for the sweep."""

import re
import uuid

import pytest
from django.test import Client

from accounts.models import User
from outbox.models import Message

pytestmark = pytest.mark.django_db
PASSWORD = "Pelayanan-Terang-2026"


@pytest.fixture
def visitor():
    return Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")


def test_a_sign_up_lands_and_its_code_can_be_used_while_redis_is_down(
    visitor, redis_down, django_capture_on_commit_callbacks
):
    form = {
        "identifier": "rina@contoh.id",
        "full_name": "Rina Marlina",
        "nik": "3201016503910004",
        "address": "Jl. Melati 9, Sukamaju",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post("/akun/daftar/", form)
    assert response["Location"] == "/akun/verifikasi/"
    user = User.objects.get(email="rina@contoh.id")
    message = Message.objects.get(kind="account.verify")
    assert message.status == "pending"  # the broker refused the kick; the sweep sends it
    code = re.search(r"\b(\d{6})\b", message.body)[1]
    assert visitor.post("/akun/verifikasi/", {"code": code}).status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_a_password_reset_can_be_asked_for_while_redis_is_down(visitor, redis_down, make_user):
    make_user("applicant", username="rina", email="rina@contoh.id")
    response = visitor.post("/akun/lupa-sandi/", {"identifier": "rina@contoh.id"})
    assert response.status_code == 302
    assert Message.objects.filter(kind="account.reset").exists()
