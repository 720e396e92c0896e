"""The partner's quick start (docs/api.md, issue 21.8) run as written: its curl commands in
bash against a live server (the host and the webhook's address swapped for this machine's,
the variables it tells the reader to keep set from the answers), and its Python snippet
verifying the webhook that the submission sent."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from django.conf import settings

from permits.models import Application, Stage
from tests.api.test_webhooks import Receiver
from tests.factories import PDF

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.judged_once]

DOC = settings.BASE_DIR / "docs" / "api.md"
HOST = "https://terang.example.go.id"
HOOK = "https://oss.example.id/terang"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)


def block(language: str, needle: str) -> str:
    [found] = [b for b in blocks(language) if needle in b]
    return found


def run(script: str, env: dict, cwd) -> str:
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def answers(output: str) -> list[dict]:
    """The JSON documents curl printed, one after another."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while at < len(output):
        if output[at].isspace():
            at += 1
            continue
        value, at = decoder.raw_decode(output, at)
        found.append(value)
    return found


def test_the_quick_start_runs_as_written(live_server, make_partner, office, tmp_path, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on this machine
    receiver = Receiver()
    try:
        partner, secret = make_partner(
            scopes=["applications:write", "applications:read", "documents:write",
                    "webhooks:manage", "catalogue:read"],
        )  # fmt: skip
        env = {"PATH": "/usr/bin:/bin", "CLIENT_ID": partner.client_id, "CLIENT_SECRET": secret}

        def sh(needle: str) -> list[dict]:
            script = block("sh", needle).replace(HOST, live_server.url).replace(HOOK, receiver.url)
            return answers(run(script, env, tmp_path))

        [token] = sh("grant_type=client_credentials")
        env["TOKEN"] = token["access_token"]
        [subscription] = sh("/api/v1/webhooks/")
        assert subscription["secret"].startswith("whsec_")
        [catalogue] = sh("/api/v1/catalogue/")
        assert "KES-SIP" in {t["code"] for t in catalogue["types"]}

        [draft] = sh("Idempotency-Key")
        assert draft["stage"] == "draft" and draft["wanting"]["documents"] == ["KTP", "STR"]
        env["FILE_ID"] = draft["id"]
        for code in ("KTP", "STR"):
            (tmp_path / f"{code}.pdf").write_bytes(PDF)
        uploads = sh("documents/")
        assert [u["wanting"]["documents"] for u in uploads] == [["STR"], []]
        [submitted] = sh("/submit/")
        assert submitted["stage"] == "submitted" and submitted["registration_number"]
        assert Application.objects.get(public_id=draft["id"]).state == Stage.SUBMITTED

        # The webhook the submission sent, verified by the quick start's own snippet.
        [(headers, body)] = receiver.received
        scope = {"SECRET": subscription["secret"], "request_body_bytes": body,
                 "request_headers": headers}  # fmt: skip
        exec(block("python", "Webhook(SECRET)"), scope)  # noqa: S102 (the doc's own code)
        assert scope["payload"]["type"] == "file.received"
        assert scope["payload"]["data"]["id"] == draft["id"]
    finally:
        receiver.close()
