"""The field inspection's appointment and team (peninjauan lapangan, issue 22.2).

The officer holding a file in the inspection stage leads its visit. They propose a date
and time in the office's working hours; the applicant is told through the outbox and
confirms it or asks for another time, in their account or by telephone to the office
(the lead records that answer and how it came). The lead proposes again, or takes the
applicant's time, which then stands agreed. A visit always has a team of at least two
officers of the type's unit, drawn when it is first proposed so that the same pair does
not keep visiting the same applicant (``visit_team_draw``).

The guards of every act on a file hold: the file's row is locked, a held file refuses
(and the attempt is recorded), the lead declares on the file before the first act; every
act leaves a file event and field history naming who acted.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from core.moments import LONG, TIME, moment_text
from outbox.services import message_queue
from permits.assignment import candidates_for, officer_may_take
from permits.event_names import SITE_VISIT_CONFIRMED, SITE_VISIT_MOVE_ASKED, SITE_VISIT_PROPOSED
from permits.models import (
    OPEN_VISIT_STATUSES,
    AnswerChannel,
    Application,
    SiteVisit,
    SiteVisitMember,
    Stage,
    VisitStatus,
)
from permits.selectors.details import site_address, site_point
from permits.services.context import ActionRefused, Actor, HeldRefused, action_guards_check
from permits.services.events import file_event, held_attempts_recorded
from permits.services.notices import applicant_notify
from worktime.calendar import get_calendar

# The acts on a visit, as the action guards know them.
PROPOSE, ANSWER = "site_visit_propose", "site_visit_answer"
TEAM_SIZE = 2
# Past visits that count when a pair is weighed against an applicant.
PAIR_MEMORY = datetime.timedelta(days=365)
NOT_IN_INSPECTION = gettext_lazy(
    "Jadwal peninjauan hanya dapat diatur pada tahap peninjauan lapangan."
)
# How long a visit takes at least: an appointment must start this long before closing.
VISIT_LENGTH = datetime.timedelta(hours=1)


# --- the team ------------------------------------------------------------------------------


def visit_team_draw(app: Application, lead: User) -> list[User]:
    """The lead and ``TEAM_SIZE - 1`` companions: technical officers of the type's unit who
    may take the file, the one who has visited this applicant (same NIK) with the lead
    least often in the last ``PAIR_MEMORY`` first, then the one with the fewest open
    visits, then the earliest account. Fewer than ``TEAM_SIZE`` officers: refused."""
    since = timezone.now() - PAIR_MEMORY
    same_applicant = Q(
        site_visit_seats__visit__application__applicant_nik=app.applicant_nik,
        site_visit_seats__visit__proposed_at__gte=since,
        site_visit_seats__visit__members__officer=lead,
    )
    companions = (
        candidates_for(app, Stage.INSPECTION)
        .exclude(pk=lead.pk)
        .annotate(
            together=Count("site_visit_seats", filter=same_applicant, distinct=True),
            visits=Count(
                "site_visit_seats",
                filter=Q(site_visit_seats__visit__status__in=OPEN_VISIT_STATUSES),
                distinct=True,
            ),
        )
        .order_by("together", "visits", "pk")
    )
    team = [lead]
    for officer in companions:
        if len(team) == TEAM_SIZE:
            break
        if officer_may_take(officer, app, Stage.INSPECTION):
            team.append(officer)
    if len(team) < TEAM_SIZE:
        raise ActionRefused(
            _(
                "Peninjauan lapangan memerlukan tim sekurang-kurangnya %(n)d petugas, tetapi "
                "tidak ada petugas lain di unit ini yang dapat ikut pada berkas ini."
            )
            % {"n": TEAM_SIZE}
        )
    return team


# --- reading -------------------------------------------------------------------------------


def open_visit(app: Application) -> SiteVisit | None:
    """The file's visit still to happen, with its team, or None."""
    return (
        app.site_visits.filter(status__in=OPEN_VISIT_STATUSES)
        .select_related("lead")
        .prefetch_related("members__officer")
        .first()
    )


def may_propose(app: Application, user) -> bool:
    """The officer holding the file in the inspection stage."""
    return (
        user is not None
        and user.is_active
        and user.role == Role.TECHNICAL
        and app.state == Stage.INSPECTION
        and app.assigned_to_id == user.pk
        and app.held_since is None
    )


def may_answer(app: Application, visit: SiteVisit | None, user) -> bool:
    """The applicant owning the file online, or the lead recording an answer given by
    telephone or in person, while an appointment waits for the applicant."""
    if user is None or not user.is_active or visit is None or app.held_since is not None:
        return False
    if visit.status != VisitStatus.PROPOSED or app.state != Stage.INSPECTION:
        return False
    if user.role == Role.APPLICANT:
        return app.applicant_id == user.pk
    return may_propose(app, user)


# --- the acts ------------------------------------------------------------------------------


def file_locked(app: Application, actor: Actor, action: str, refusal) -> Application:
    """The file's row, locked, with the guards every act on a visit passes: not held (the
    attempt is recorded), in the inspection stage (else ``refusal``), declared on."""
    locked = Application.objects.select_for_update(of=("self",)).get(pk=app.pk)
    if locked.held_since is not None:
        raise HeldRefused(locked.pk, actor, action)
    if locked.state != Stage.INSPECTION:
        raise ActionRefused(refusal)
    action_guards_check(locked, actor.user, action)
    return locked


def visit_locked(app: Application, statuses=OPEN_VISIT_STATUSES) -> SiteVisit | None:
    """The file's visit in one of ``statuses``, locked (a file has one open at most)."""
    return (
        SiteVisit.objects.select_for_update().filter(application=app, status__in=statuses).first()
    )


def appointment_problem(moment: datetime.datetime, now: datetime.datetime) -> str:
    """Why ``moment`` cannot be a visit's time, or "": it must be ahead, on a working day,
    in service hours, at least ``VISIT_LENGTH`` before closing."""
    calendar = get_calendar()
    if moment <= now:
        return _("Jadwal peninjauan harus pada waktu yang akan datang.")
    local = timezone.localtime(moment)
    if not calendar.is_working_day(local.date()):
        return _("%(day)s bukan hari kerja. Pilih hari kerja.") % {
            "day": moment_text(local.date(), LONG)
        }
    opens, closes = calendar.service_hours(local.date())
    if not (opens <= local and local + VISIT_LENGTH <= closes):
        return _(
            "Pilih jam antara %(opens)s dan %(last)s (jam layanan; peninjauan perlu "
            "sekurang-kurangnya satu jam)."
        ) % {
            "opens": moment_text(opens, TIME),
            "last": moment_text(closes - VISIT_LENGTH, TIME),
        }
    return ""


@held_attempts_recorded
@transaction.atomic
def site_visit_propose(
    *,
    application: Application,
    actor: Actor,
    appointment_at: datetime.datetime | None,
    address: str = "",
    note: str = "",
    agreed: bool = False,
) -> SiteVisit:
    """The lead proposes the visit's time (the first time, the team is drawn). ``agreed``:
    the lead takes the time the applicant asked for, which then stands confirmed."""
    app = file_locked(application, actor, PROPOSE, NOT_IN_INSPECTION)
    if not may_propose(app, actor.user):
        raise ActionRefused(_("Hanya petugas pemegang berkas yang dapat mengatur peninjauan."))
    now = timezone.now()
    visit = visit_locked(app)
    if visit is not None and visit.status == VisitStatus.REPORTED:
        raise ActionRefused(_("Peninjauan sudah dilakukan dan berita acaranya sudah ditulis."))
    if agreed:
        if visit is None or visit.status != VisitStatus.MOVE_ASKED:
            raise ActionRefused(_("Pemohon belum meminta jadwal lain."))
        appointment_at = visit.wished_at
    if appointment_at is None:
        raise ActionRefused(_("Pilih tanggal dan jam peninjauan."))
    problem = appointment_problem(appointment_at, now)
    if problem:
        raise ActionRefused(problem)
    address = address.strip() or (visit.address if visit else "") or site_address_of(app)
    if not address:
        raise ActionRefused(_("Tuliskan alamat lokasi yang akan ditinjau."))
    if visit is None:
        visit = _visit_new(app, actor, appointment_at, address, note.strip(), now)
    else:
        visit.appointment_at, visit.address, visit.note = appointment_at, address, note.strip()
        visit.proposed_at, visit.proposals = now, visit.proposals + 1
        visit.status = VisitStatus.CONFIRMED if agreed else VisitStatus.PROPOSED
        if not agreed:
            visit.answered_at, visit.answer_channel = None, ""
        visit._history_user = actor.user
        visit.save()
    team = [m.officer for m in visit.members.select_related("officer")]
    file_event(
        application=app,
        action=SITE_VISIT_CONFIRMED if agreed else SITE_VISIT_PROPOSED,
        actor=actor,
        note=visit.note,
        data={
            "visit": visit.pk,
            "at": appointment_at.isoformat(),
            "team": [officer.pk for officer in team],
            **({"agreed": True} if agreed else {}),
        },
        at=now,
    )
    if agreed:
        _confirmed_tell(app, visit, team)
    else:
        applicant_notify(app, "site_visit.proposal", visit=visit, team=team)
    return visit


def site_address_of(app: Application) -> str:
    """Where the visit goes unless the lead writes otherwise: the file's site, else the
    applicant's address."""
    return site_address(app) or app.applicant_address


def _visit_new(app, actor, appointment_at, address, note, now) -> SiteVisit:
    team = visit_team_draw(app, actor.user)
    point = site_point(app)
    visit = SiteVisit(
        application=app,
        appointment_at=appointment_at,
        address=address,
        site_lat=point[0] if point else None,
        site_lon=point[1] if point else None,
        lead=actor.user,
        proposed_at=now,
        note=note,
    )
    visit._history_user = actor.user
    visit.save()
    for position, officer in enumerate(team, start=1):
        member = SiteVisitMember(visit=visit, officer=officer, position=position)
        member._history_user = actor.user
        member.save()
    return visit


@held_attempts_recorded
@transaction.atomic
def site_visit_answer(
    *,
    application: Application,
    actor: Actor,
    confirm: bool,
    wished_at: datetime.datetime | None = None,
    note: str = "",
    channel: str = AnswerChannel.ACCOUNT,
) -> SiteVisit:
    """The applicant's answer to the proposed time: confirmed, or another time asked for
    (``wished_at``, in working hours). Given in their account, or recorded by the lead
    from a telephone call or a visit to the office (``channel``)."""
    app = file_locked(application, actor, ANSWER, NOT_IN_INSPECTION)
    visit = visit_locked(app)
    if visit is None or visit.status != VisitStatus.PROPOSED:
        raise ActionRefused(_("Tidak ada jadwal peninjauan yang menunggu jawaban."))
    if not may_answer(app, visit, actor.user):
        raise ActionRefused(_("Anda tidak berwenang menjawab jadwal peninjauan berkas ini."))
    by_applicant = actor.user.role == Role.APPLICANT
    channel = AnswerChannel.ACCOUNT if by_applicant else channel
    if not by_applicant and channel not in {AnswerChannel.TELEPHONE, AnswerChannel.IN_PERSON}:
        raise ActionRefused(_("Sebutkan bagaimana pemohon menjawab (telepon atau datang)."))
    now = timezone.now()
    note = note.strip()
    if confirm and visit.appointment_at <= now:
        raise ActionRefused(_("Jadwal ini sudah lewat. Mintalah jadwal lain."))
    if not confirm:
        if wished_at is None:
            raise ActionRefused(_("Sebutkan tanggal dan jam yang Anda inginkan."))
        problem = appointment_problem(wished_at, now)
        if problem:
            raise ActionRefused(problem)
    visit.answered_at, visit.answer_channel, visit.answer_note = now, channel, note
    visit.status = VisitStatus.CONFIRMED if confirm else VisitStatus.MOVE_ASKED
    visit.wished_at = None if confirm else wished_at
    visit._history_user = actor.user
    visit.save()
    file_event(
        application=app,
        action=SITE_VISIT_CONFIRMED if confirm else SITE_VISIT_MOVE_ASKED,
        actor=actor,
        note=note,
        data={
            "visit": visit.pk,
            "at": (visit.appointment_at if confirm else wished_at).isoformat(),
            "channel": channel,
        },
        at=now,
    )
    team = [m.officer for m in visit.members.select_related("officer")]
    if confirm:
        _confirmed_tell(app, visit, team)
    elif by_applicant:
        message_queue(
            recipient=visit.lead,
            kind="site_visit.move_request",
            context={"application": app, "visit": visit, "site_url": settings.SITE_URL},
            application=app,
        )
    return visit


def _confirmed_tell(app: Application, visit: SiteVisit, team: list[User]) -> None:
    """The agreed time: to the applicant and to every officer of the team."""
    applicant_notify(app, "site_visit.agreed", visit=visit, team=team)
    for officer in team:
        message_queue(
            recipient=officer,
            kind="site_visit.team",
            context={
                "application": app,
                "visit": visit,
                "team": team,
                "site_url": settings.SITE_URL,
            },
            application=app,
        )
