"""Shared by the accounts tests: signing up and in as a person would."""

import re

from outbox.models import Message

PASSWORD = "Pelayanan-Terang-2026"


def form(**overrides):
    data = {
        "identifier": "siti@contoh.id",
        "full_name": "Siti Rahmawati",
        "nik": "3201014101900001",
        "address": "Jl. Merdeka 1, Sukamaju",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def last_code(kind="account.verify") -> str:
    body = Message.objects.filter(kind=kind).latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def signed_up(client, **overrides):
    """Sign up and enter the code: the applicant is then signed in."""
    client.post("/akun/daftar/", form(**overrides))
    client.post("/akun/verifikasi/", {"code": last_code()})
    return client
