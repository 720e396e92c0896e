"""The technical team's recommendations (tim teknis, issue 22.1): asked of every agency a
permit type names as soon as a file enters technical review, drafted by an officer of the
agency, signed off (or sent back) by a supervisor of the agency, escalated to the
agency's head when late. The guards of every act on a file hold here too: the file's row
is locked, a held file refuses (and the attempt is recorded), and the officer declares on
the file before the first act (``action_guards_check``); every act leaves a file event and
field history naming who acted.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from outbox.services import message_queue
from permits.assignment import officer_may_take
from permits.event_names import (
    RECOMMENDATION_DRAFTED,
    RECOMMENDATION_ESCALATED,
    RECOMMENDATION_REQUESTED,
    RECOMMENDATION_SENT_BACK,
    RECOMMENDATION_SIGNED,
)
from permits.models import Application, Recommendation, Stage, TypeRecommender, Verdict
from permits.services.context import ActionRefused, Actor, HeldRefused, action_guards_check
from permits.services.events import file_event, held_attempts_recorded
from worktime.calendar import get_calendar

# The acts on a recommendation, as the action guards know them.
DRAFT, SEND_BACK, SIGN = "recommendation_draft", "recommendation_send_back", "recommendation_sign"
RECOMMENDATION_ACTIONS = frozenset({DRAFT, SEND_BACK, SIGN})
SIGNING_ROLES = frozenset({Role.SUPERVISOR, Role.HEAD})
ALREADY_SIGNED = gettext_lazy("Rekomendasi ini sudah disahkan; tidak ada yang diubah.")


def agency_officer(app: Application, opd) -> User | None:
    """The technical officer of ``opd`` with the fewest open recommendation tasks who may
    take the file (not its applicant, not matched by the conflict register)."""
    officers = (
        User.objects.filter(is_active=True, role=Role.TECHNICAL, unit=opd)
        .annotate(
            load=Count(
                "recommendation_tasks", filter=Q(recommendation_tasks__signed_at__isnull=True)
            )
        )
        .order_by("load", "pk")
    )
    for officer in officers:
        if officer_may_take(officer, app, Stage.TECHNICAL_REVIEW):
            return officer
    return None


def recommendations_request(app: Application, actor: Actor, at) -> list[Recommendation]:
    """Ask every agency the file's type names, not asked on this file before (a file
    returned and completed again keeps the answers it had), each due after its share of
    the SOP time in working days. Inside the transition's transaction."""
    asked = set(app.recommendations.values_list("opd_id", flat=True))
    calendar = get_calendar()
    made = []
    wanted = (
        TypeRecommender.objects.filter(permit_type_id=app.permit_type_id)
        .exclude(opd_id__in=asked)
        .select_related("opd")
        .order_by("opd__name_id")
    )
    for wanted_one in wanted:
        officer = agency_officer(app, wanted_one.opd)
        recommendation = Recommendation(
            application=app,
            opd=wanted_one.opd,
            requested_at=at,
            due_at=calendar.add_working_days(at, wanted_one.working_days),
            assigned_to=officer,
        )
        recommendation._history_user = actor.user
        recommendation.save()
        file_event(
            application=app,
            action=RECOMMENDATION_REQUESTED,
            actor=actor,
            data={
                "opd": wanted_one.opd.code,
                "due": recommendation.due_at.isoformat(),
                "to": officer.pk if officer else None,
            },
            at=at,
        )
        made.append(recommendation)
    return made


# --- who may act -----------------------------------------------------------------------


def may_draft(recommendation: Recommendation, user) -> bool:
    """The agency's technical officer holding the task (any of them while nobody does)."""
    if user is None or not user.is_active or user.role != Role.TECHNICAL:
        return False
    if user.unit_id != recommendation.opd_id or recommendation.answered:
        return False
    if recommendation.application.is_applicant(user):
        return False
    return recommendation.assigned_to_id in (None, user.pk)


def may_sign(recommendation: Recommendation, user) -> bool:
    """A supervisor (or head) of the agency, who did not draft it, once it is drafted."""
    if user is None or not user.is_active or user.role not in SIGNING_ROLES:
        return False
    if user.unit_id != recommendation.opd_id or recommendation.answered:
        return False
    if recommendation.drafted_at is None or recommendation.drafted_by_id == user.pk:
        return False
    return not recommendation.application.is_applicant(user)


def recommendation_actor(app: Application, user) -> bool:
    """``user`` has a recommendation of ``app`` to draft or sign off now: they declare on
    the file like its holder does (``integrity``'s declaration rule)."""
    if user is None or not user.is_active or user.unit_id is None:
        return False
    if app.state != Stage.TECHNICAL_REVIEW:  # given in technical review only: no query
        return False
    open_ones = app.recommendations.filter(signed_at__isnull=True, opd_id=user.unit_id)
    if user.role == Role.TECHNICAL:
        return open_ones.filter(Q(assigned_to=user) | Q(assigned_to__isnull=True)).exists()
    if user.role in SIGNING_ROLES:
        return open_ones.filter(drafted_at__isnull=False).exclude(drafted_by=user).exists()
    return False


# --- the acts ------------------------------------------------------------------------------


def _locked(recommendation: Recommendation, actor: Actor, action: str):
    """The file and the recommendation, locked, with the guards every file act passes; a
    recommendation signed off already takes no act."""
    app = Application.objects.select_for_update(of=("self",)).get(pk=recommendation.application_id)
    locked = Recommendation.objects.select_for_update(of=("self",)).get(pk=recommendation.pk)
    locked.application = app
    if app.held_since is not None:
        raise HeldRefused(app.pk, actor, action)
    if app.state != Stage.TECHNICAL_REVIEW:
        raise ActionRefused(_("Rekomendasi hanya dapat diberikan selama kajian teknis."))
    action_guards_check(app, actor.user, action)
    if locked.answered:
        raise ActionRefused(ALREADY_SIGNED)
    return app, locked


def _clean_answer(verdict: str, conditions: str, reasons: str, legal_basis: str) -> dict:
    if verdict not in Verdict.values:
        raise ActionRefused(_("Pilih salah satu rekomendasi."))
    conditions, reasons, legal_basis = conditions.strip(), reasons.strip(), legal_basis.strip()
    if verdict == Verdict.WITH_CONDITIONS and not conditions:
        raise ActionRefused(_("Tuliskan syarat yang harus dimuat dalam izin."))
    if verdict == Verdict.NOT_RECOMMENDED and not (reasons and legal_basis):
        raise ActionRefused(_("Rekomendasi penolakan wajib disertai alasan dan dasar hukumnya."))
    return {
        "verdict": verdict,
        "conditions": conditions if verdict == Verdict.WITH_CONDITIONS else "",
        "reasons": reasons,
        "legal_basis": legal_basis,
    }


@held_attempts_recorded
@transaction.atomic
def recommendation_draft(
    *,
    recommendation: Recommendation,
    actor: Actor,
    verdict: str,
    conditions: str = "",
    reasons: str = "",
    legal_basis: str = "",
) -> Recommendation:
    """The agency officer's answer, for their supervisor to sign off (a draft may be
    written again until it is signed)."""
    app, rec = _locked(recommendation, actor, DRAFT)
    if not may_draft(rec, actor.user):
        raise ActionRefused(_("Anda tidak berwenang menyusun rekomendasi ini."))
    answer = _clean_answer(verdict, conditions, reasons, legal_basis)
    now = timezone.now()
    for name, value in answer.items():
        setattr(rec, name, value)
    rec.assigned_to = rec.assigned_to or actor.user
    rec.drafted_by, rec.drafted_at = actor.user, now
    rec._history_user = actor.user
    rec.save()
    file_event(
        application=app,
        action=RECOMMENDATION_DRAFTED,
        actor=actor,
        data={"opd": rec.opd.code, "verdict": rec.verdict},
        at=now,
    )
    return rec


@held_attempts_recorded
@transaction.atomic
def recommendation_send_back(
    *, recommendation: Recommendation, actor: Actor, note: str
) -> Recommendation:
    """The supervisor does not sign the draft: it goes back to its officer with a note."""
    app, rec = _locked(recommendation, actor, SEND_BACK)
    if not may_sign(rec, actor.user):
        raise ActionRefused(_("Anda tidak berwenang mengesahkan rekomendasi ini."))
    if not note.strip():
        raise ActionRefused(_("Tuliskan apa yang harus diperbaiki."))
    now = timezone.now()
    rec.drafted_at = None
    rec._history_user = actor.user
    rec.save(update_fields=["drafted_at"])
    file_event(
        application=app,
        action=RECOMMENDATION_SENT_BACK,
        actor=actor,
        note=note.strip(),
        data={"opd": rec.opd.code},
        at=now,
    )
    return rec


@held_attempts_recorded
@transaction.atomic
def recommendation_sign(*, recommendation: Recommendation, actor: Actor) -> Recommendation:
    """The agency supervisor signs the draft off: the agency has answered."""
    app, rec = _locked(recommendation, actor, SIGN)
    if not may_sign(rec, actor.user):
        raise ActionRefused(_("Anda tidak berwenang mengesahkan rekomendasi ini."))
    now = timezone.now()
    rec.signed_by, rec.signed_at = actor.user, now
    rec._history_user = actor.user
    rec.save(update_fields=["signed_by", "signed_at"])
    file_event(
        application=app,
        action=RECOMMENDATION_SIGNED,
        actor=actor,
        data={"opd": rec.opd.code, "verdict": rec.verdict, "late": now > rec.due_at},
        at=now,
    )
    return rec


# --- late ones -----------------------------------------------------------------------------


def agency_heads(opd) -> list[User]:
    """Whom a late recommendation of ``opd`` is escalated to: the agency's head; without
    one on record, the heads its supervisors answer to; else the office's heads."""
    active = User.objects.filter(is_active=True)
    heads = list(active.filter(role=Role.HEAD, unit=opd).order_by("pk"))
    if heads:
        return heads
    above = active.filter(
        pk__in=active.filter(role=Role.SUPERVISOR, unit=opd).values("supervisor_id"),
        role=Role.HEAD,
    )
    return list(above.order_by("pk")) or list(active.filter(role=Role.HEAD).order_by("pk")[:1])


def recommendations_escalate(*, now=None) -> int:
    """Tell the agency's head of each recommendation past its due time, once: one message
    per head listing their agency's late ones, and a file event each. Working time only
    (run with the SOP reminders)."""
    now = now or timezone.now()
    if not get_calendar().is_working_time(now):
        return 0
    late = list(
        Recommendation.objects.filter(
            signed_at__isnull=True,
            escalated_at__isnull=True,
            due_at__lt=now,
            application__state=Stage.TECHNICAL_REVIEW,
        )
        .select_related("opd", "application__permit_type", "assigned_to")
        .order_by("due_at", "pk")
    )
    by_head, heads_of = defaultdict(list), {}
    with transaction.atomic():
        for rec in late:
            if rec.opd_id not in heads_of:
                heads_of[rec.opd_id] = agency_heads(rec.opd)
            for head in heads_of[rec.opd_id]:
                by_head[head].append(rec)
            rec.escalated_at = now
            rec._history_user = None
            rec.save(update_fields=["escalated_at"])
            file_event(
                application=rec.application,
                action=RECOMMENDATION_ESCALATED,
                actor=Actor.system(),
                data={"opd": rec.opd.code, "due": rec.due_at.isoformat()},
                at=now,
            )
        for head, recs in by_head.items():
            message_queue(
                recipient=head,
                kind="recommendation.late",
                context={"recommendations": recs, "now": now},
                application=recs[0].application if len(recs) == 1 else None,
            )
    return len(late)
