"""The back office's reads: which files a staff member may open, the worklist, a file's
page, and a supervisor's view of the team."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from permits.models import OPEN_STAGES, Application, Channel, Recommendation, Stage
from permits.numbering import REGISTRATION_NUMBER
from permits.selectors.catalogue import catalogue_types
from permits.selectors.columns import CHECK_COLUMNS, CLOCK_COLUMNS, HOLDER_COLUMNS
from permits.sla import check_due_soon_cutoff, due_soon_cutoff
from worktime.calendar import get_calendar

BACKOFFICE_ROLES = frozenset(
    {
        Role.COUNTER,
        Role.TECHNICAL,
        Role.SUPERVISOR,
        Role.HEAD,
        Role.CASHIER,
        Role.ADMIN,
        Role.AUDITOR,
    }
)


def applications_visible_to(user) -> QuerySet[Application]:
    """The files a staff member may open: the one-stop office and auditors see every file,
    an OPD's staff the files of their OPD's permit types; applicants none (back office)."""
    # Drafts an applicant or a partner system is still completing are not the office's yet.
    files = Application.objects.exclude(
        state=Stage.DRAFT, channel__in=(Channel.ONLINE, Channel.PARTNER)
    )
    if user.role not in BACKOFFICE_ROLES:
        return files.none()
    if user.role == Role.AUDITOR or (user.unit and user.unit.code == settings.OFFICE_UNIT_CODE):
        return files
    if user.unit_id is None:
        return files.none()
    # An agency asked for its recommendation on a file sees that file too (issue 22.1).
    asked = Recommendation.objects.filter(application=OuterRef("pk"), opd_id=user.unit_id)
    return files.filter(Q(permit_type__opd_id=user.unit_id) | Exists(asked))


@dataclass
class WorklistFilters:
    stage: str = ""
    permit_type: int | None = None
    opd: int | None = None
    sla: str = ""  # "late" or "due_soon"
    q: str = ""
    scope: str = "mine"  # "mine" or "all" (every file the user may see)
    place: str = ""  # a kecamatan's or a desa's code: where the permit is about
    kbli: str = ""  # a business line, or the start of one (a KBLI group)


# What a worklist row shows (and its SOP clock needs): fewer columns plan and load faster.
WORKLIST_COLUMNS = (
    "public_id",
    "registration_number",
    "applicant_name",
    "business_name",
    "state",
    "submitted_at",
    *CLOCK_COLUMNS,
    *CHECK_COLUMNS,
    "permit_type_id",
    *HOLDER_COLUMNS,
)


def worklist_for(*, user, filters: WorklistFilters, now=None) -> QuerySet[Application]:
    """A staff member's files, filtered in the database: earliest SOP deadline first, then
    the files waiting for their completeness check, the longest waiting first.

    Rows carry ``permit_type_id`` only: the page takes the type from ``catalogue_types``.
    """
    now = now or timezone.now()
    files = applications_visible_to(user).select_related("assigned_to")
    if filters.scope != "all":
        files = files.filter(assigned_to=user)
    if filters.stage:
        files = files.filter(state=filters.stage)
    else:
        files = files.filter(state__in=OPEN_STAGES)
    if filters.permit_type:
        files = files.filter(permit_type_id=filters.permit_type)
    if filters.opd:
        files = files.filter(permit_type__opd_id=filters.opd)
    if filters.sla == "late":
        # Past the SOP deadline, or past the completeness check's.
        files = files.filter(
            Q(clock_running_since__isnull=False, sop_deadline__lt=now) | Q(check_due_at__lt=now)
        )
    elif filters.sla == "due_soon":
        calendar = get_calendar()
        cutoff, check_cutoff = due_soon_cutoff(now, calendar), check_due_soon_cutoff(now, calendar)
        files = files.filter(
            Q(clock_running_since__isnull=False, sop_deadline__gte=now, sop_deadline__lte=cutoff)
            | Q(check_due_at__gte=now, check_due_at__lte=check_cutoff)
        )
    if filters.place.count(".") == 3:
        files = files.filter(site_desa=filters.place)
    elif filters.place:
        files = files.filter(site_kecamatan=filters.place)
    if filters.kbli:
        files = files.filter(kbli__startswith=filters.kbli)
    query = filters.q.strip()
    if query.isdigit() and len(query) == 16:  # a billing code, typed by the cashier
        files = files.filter(bill__billing_code=query)
    elif REGISTRATION_NUMBER.match(query.upper()):  # the unique index, not the name search
        files = files.filter(registration_number=query.upper())
    elif query:
        files = files.filter(
            Q(registration_number=query.upper())
            | Q(applicant_name__icontains=query)
            | Q(business_name__icontains=query)
        )
    return files.only(*WORKLIST_COLUMNS).order_by(
        F("sop_deadline").asc(nulls_last=True),
        F("waiting_since").asc(nulls_last=True),
        "submitted_at",
        "pk",
    )


def application_for_page(*, user, public_id) -> Application:
    """One file for its back-office page, or 404 if the user may not see it."""
    return get_object_or_404(
        applications_visible_to(user).select_related(
            "permit_type__opd",
            "assigned_to__unit",
            "applicant",
            "verified_by",
            "form_version",
            "data_check",
        ),
        public_id=public_id,
    )


# Other apps hide file events from a viewer who may not see what they record (integrity:
# a case or a suspicion report hidden from them). Each is ``hide(application, user, events)``
# returning the events to show; registered in the app's ``ready()``.
_timeline_filters: list = []


def register_timeline_filter(hide):
    if hide not in _timeline_filters:
        _timeline_filters.append(hide)
    return hide


def timeline_filter(application: Application, user, events: list) -> list:
    """The file's events that ``user`` may see on its back-office page."""
    for hide in _timeline_filters:
        events = hide(application, user, events)
    return events


def application_page_parts(application: Application) -> dict:
    """Checklist with every document version, and the timeline: a fixed number of queries."""
    checks = list(application.checks.select_related("requirement", "checked_by"))
    documents = list(
        application.documents.select_related("uploaded_by").order_by("requirement_id", "-version")
    )
    by_requirement: dict[int, list] = {}
    for document in documents:
        by_requirement.setdefault(document.requirement_id, []).append(document)
    for check in checks:
        check.versions = by_requirement.get(check.requirement_id, [])
        for position, document in enumerate(check.versions):
            # Newest first: byte-identical to an older version ("isi sama dengan versi
            # sebelumnya"), that version's number.
            document.same_as = next(
                (
                    old.version
                    for old in check.versions[position + 1 :]
                    if old.sha256 == document.sha256
                ),
                None,
            )
    events = list(application.events.select_related("actor").order_by("-created_at", "-id"))
    # Asked only when the file enters technical review, which only a file declared
    # complete (``verified_by``) ever does: no query for the others.
    recommendations = (
        list(
            application.recommendations.select_related(
                "opd", "assigned_to", "drafted_by", "signed_by"
            ).order_by("opd__name_id", "pk")
        )
        if application.verified_by_id is not None
        else []
    )
    return {"checks": checks, "events": events, "recommendations": recommendations}


@dataclass
class OfficerLoad:
    officer: object
    open_files: int
    late_files: int


def team_load(*, supervisor, now=None) -> list[OfficerLoad]:
    """Open and late files per officer of the supervisor's unit (two queries).

    The files are counted by holder alone (the open-files index, no join to the users),
    then put beside the unit's officers: whoever holds nothing shows 0."""
    now = now or timezone.now()
    officers = list(
        User.objects.filter(unit_id=supervisor.unit_id, is_active=True).exclude(
            role__in=[Role.APPLICANT, Role.AUDITOR]
        )
    )
    late = Q(clock_running_since__isnull=False, sop_deadline__lt=now)
    counts = {
        row["assigned_to"]: row
        for row in Application.objects.filter(
            state__in=OPEN_STAGES, assigned_to__in=[o.pk for o in officers]
        )
        .values("assigned_to")
        .annotate(open=Count("id"), late=Count("id", filter=late))
        .order_by()
    }
    loads = [
        OfficerLoad(o, counts.get(o.pk, {}).get("open", 0), counts.get(o.pk, {}).get("late", 0))
        for o in officers
    ]
    loads.sort(key=lambda load: (-load.late_files, -load.open_files, load.officer.full_name))
    return loads


def late_files_of_team(*, supervisor, now=None, limit: int = 50) -> list[Application]:
    """Running files past their SOP deadline held by the supervisor's unit, most overdue
    first (two queries: the unit's officers, then the files).

    On PostgreSQL each officer's ``limit`` most overdue files are taken from the open-files
    index and only those are joined and sorted together (a join of every late file to its
    type and holder cost 115 ms at 100 000 files). The type comes from ``catalogue_types``."""
    now = now or timezone.now()
    officer_ids = list(User.objects.filter(unit_id=supervisor.unit_id).values_list("pk", flat=True))
    if not officer_ids:
        return []
    visible = applications_visible_to(supervisor).filter(
        state__in=OPEN_STAGES, clock_running_since__isnull=False, sop_deadline__lt=now
    )
    if connection.features.supports_slicing_ordering_in_compound and len(officer_ids) > 1:
        # Each officer's most overdue files, cut at ``limit``, then only those sorted
        # together: no join of every late file to its type or its holder.
        heads = [
            visible.filter(assigned_to_id=pk).order_by("sop_deadline").values("pk")[:limit]
            for pk in officer_ids
        ]
        files = Application.objects.filter(pk__in=heads[0].union(*heads[1:], all=True))
    else:
        files = visible.filter(assigned_to_id__in=officer_ids)
    late = list(files.select_related("assigned_to").order_by("sop_deadline", "pk")[:limit])
    types = catalogue_types()
    for app in late:
        app.permit_type = types[app.permit_type_id]
    return late


def recommendations_waiting_for(user) -> list[Recommendation]:
    """The recommendations ``user`` has to give now, the earliest due first (one query):
    an agency officer's to draft (theirs, or nobody's yet, or sent back), an agency
    supervisor's to sign off (drafted by someone else)."""
    if user.unit_id is None or user.role not in {Role.TECHNICAL, Role.SUPERVISOR, Role.HEAD}:
        return []
    waiting = Recommendation.objects.filter(
        opd_id=user.unit_id,
        signed_at__isnull=True,
        application__state=Stage.TECHNICAL_REVIEW,
        application__held_since__isnull=True,
    )
    if user.role == Role.TECHNICAL:
        waiting = waiting.filter(drafted_at__isnull=True).filter(
            Q(assigned_to=user) | Q(assigned_to__isnull=True)
        )
    else:
        waiting = waiting.filter(drafted_at__isnull=False).exclude(drafted_by=user)
    return list(
        waiting.select_related("application__permit_type", "opd").order_by("due_at", "pk")[:50]
    )
