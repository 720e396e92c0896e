"""The demo's integrity story: a counter officer's register with a relative among the demo
applicants (files of that relative are never given to her), and one open case on a file the
counter officer declared a conflict on (held, awaiting the supervisor's initial review), and
a cashier's report of a suspicion on another file, waiting for the supervisor it reached."""

from __future__ import annotations

from accounts.models import Role, User
from integrity.conflicts.services.declarations import file_declare
from integrity.conflicts.services.register import register_declare
from integrity.conflicts.services.suspicions import suspicion_report
from integrity.models import AffiliationDeclaration, ConflictCase, Suspicion
from permits.models import Application, Stage
from permits.services.context import Actor


def demo_register_seed() -> None:
    """Before the files: loket2's register names Rudi Hartono, her uncle."""
    officer = User.objects.filter(username="loket2").first()
    if officer is None or AffiliationDeclaration.objects.filter(officer=officer).exists():
        return
    register_declare(
        officer=officer,
        items=[
            {
                "kind": "relative",
                "name": "Rudi Hartono",
                "relationship": "other",
                "nik": "3204010507800005",
                "address": "Kp. Sindangsari RT 02/05",
            },
            {
                "kind": "business",
                "name": "CV Lestari Jaya",
                "role": "owner",
                "address": "Jl. Melati No. 7, Sukamaju",
            },
        ],
        note="Paman dari pihak ibu; usaha keluarga.",
        actor=Actor(officer, "10.0.0.9", "demo"),
    )


def demo_case_seed() -> None:
    """After the files: the counter officer declares a conflict on a file in verification."""
    if ConflictCase.objects.exists():
        return
    app = (
        Application.objects.filter(state=Stage.VERIFICATION, held_since=None)
        .exclude(assigned_to=None)
        .order_by("pk")
        .first()
    )
    if app is None:
        return
    officer = app.assigned_to
    actor = Actor(officer, "10.0.0.9", "demo")
    file_declare(
        application=app,
        actor=actor,
        has_conflict=True,
        nature="potential",
        source="family",
        related_party=app.applicant_name,
        description="Pemohon adalah tetangga sekaligus kerabat jauh istri saya.",
    )


def demo_suspicion_seed() -> None:
    """After the files: the cashier reports a suspicion about the holder of a file in
    verification (no hold; it waits for that officer's supervisor)."""
    cashier = User.objects.filter(role=Role.CASHIER, is_active=True).order_by("pk").first()
    if cashier is None or Suspicion.objects.exists():
        return
    app = (
        Application.objects.filter(state=Stage.VERIFICATION, held_since=None)
        .exclude(assigned_to=None)
        .order_by("-pk")
        .first()
    )
    if app is None:
        return
    suspicion_report(
        application=app,
        actor=Actor(cashier, "10.0.0.12", "demo"),
        route="supervisor",
        description=(
            "Pemohon terlihat memberi bingkisan kepada petugas loket di luar jam layanan; "
            "berkasnya lalu diperiksa lebih dulu."
        ),
        officer=app.assigned_to,
    )
