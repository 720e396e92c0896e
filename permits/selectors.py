"""Read-side queries of the permits app: what pages and lists show."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import Role, User
from core.cache import DERIVED_SECONDS
from core.prepared import PreparedQuery
from permits.models import (
    OPD,
    OPEN_STAGES,
    Application,
    ApplicationEvent,
    Channel,
    CheckStatus,
    FileView,
    PermitType,
    RequirementCheck,
    Stage,
    normalise_tracking_code,
)
from permits.sla import check_due_soon_cutoff, due_soon_cutoff
from permits.tracking import PUBLIC_ACTIONS, tracking_for
from worktime.calendar import get_calendar


@dataclass
class CatalogueGroup:
    opd: OPD
    permit_types: list[PermitType]


@dataclass
class CatalogueSearch:
    """The home page's catalogue: every type by OPD (no query), or the types matching a
    query best first (``results``), or, when none matches, the closest (``closest``)."""

    groups: list[CatalogueGroup]
    results: list[PermitType]
    closest: list[PermitType]
    notes: list = field(default_factory=list)  # SearchNote: SIUP is now the NIB, ...


def catalogue_search(*, query: str = "") -> CatalogueSearch:
    """Active permit types with their requirement count: two queries at most (the search
    index comes from ``catalogue_types``; ``permits.search`` says how a query matches)."""
    from permits.search import catalogue_rank

    types: QuerySet[PermitType] = (
        PermitType.objects.filter(active=True, opd__active=True)
        .select_related("opd")
        .annotate(requirement_count=Count("requirements", filter=Q(requirements__active=True)))
        .order_by("opd__name_id", "name_id")
    )
    if not query.strip():
        groups: dict[int, CatalogueGroup] = {}
        for permit_type in types:
            group = groups.setdefault(permit_type.opd_id, CatalogueGroup(permit_type.opd, []))
            group.permit_types.append(permit_type)
        return CatalogueSearch(list(groups.values()), [], [])
    ranking = catalogue_rank(query=query)
    # A note ("SIUP is now the NIB") answers better than types that look alike.
    wanted = ranking.pks or ([] if ranking.notes else ranking.closest_pks)
    by_pk = {t.pk: t for t in types.filter(pk__in=wanted)} if wanted else {}
    ordered = [by_pk[pk] for pk in wanted if pk in by_pk]
    if ranking.pks:
        return CatalogueSearch([], ordered, [], ranking.notes)
    return CatalogueSearch([], [], ordered, ranking.notes)


def _choices_key(language: str) -> str:
    return f"permits:catalogue-choices:{language}"


def catalogue_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(permit types, OPDs) as (pk, name) in the active language, for filter selects.

    Cached until the catalogue changes (``permits.signals``), at most ``DERIVED_SECONDS``
    (a change made while Redis was down could not clear it): every worklist shows them.
    """
    key = _choices_key(get_language())
    choices = cache.get(key)
    if choices is None:
        types = list(PermitType.objects.filter(active=True, opd__active=True).select_related("opd"))
        opds = {t.opd_id: t.opd for t in types}.values()
        by_name = lambda choice: choice[1].casefold()  # noqa: E731
        choices = (
            sorted(((t.pk, t.name) for t in types), key=by_name),
            sorted(((o.pk, o.name) for o in opds), key=by_name),
        )
        cache.set(key, choices, timeout=DERIVED_SECONDS)
    return choices


_TYPES_VERSION_KEY = "permits:catalogue-types-version"
_types_memo: dict[str, object] = {}


def catalogue_version() -> str:
    """The catalogue's version in the shared cache: any process that changes the catalogue
    bumps it, and what a process kept from an older version is rebuilt."""
    version = cache.get(_TYPES_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_TYPES_VERSION_KEY, version, timeout=DERIVED_SECONDS)
        version = cache.get(_TYPES_VERSION_KEY, version)
    return version


def catalogue_types() -> dict[int, PermitType]:
    """Every permit type with its OPD, by id, kept in this process until the catalogue
    changes (``catalogue_version``). Pages that show many files or one public file take a
    type from here instead of joining it on every request."""
    version = catalogue_version()
    if _types_memo.get("version") != version:
        _types_memo["types"] = {t.pk: t for t in PermitType.objects.select_related("opd")}
        _types_memo["version"] = version
    return _types_memo["types"]  # type: ignore[return-value]


def catalogue_choices_invalidate() -> None:
    cache.delete_many([_choices_key(code) for code, _name in settings.LANGUAGES])
    cache.set(_TYPES_VERSION_KEY, uuid.uuid4().hex, timeout=DERIVED_SECONDS)
    _types_memo.clear()


@dataclass
class CounterContact:
    address: str
    phone: str
    hours: list[tuple[str, object, object]]  # (weekday, opens, closes)


def counter_contact() -> CounterContact:
    """Where and when people can ask the MPP's counter in person or by phone."""
    from worktime.models import Weekday

    hours = sorted(get_calendar().hours.items())
    return CounterContact(
        address=settings.OFFICE_ADDRESS,
        phone=settings.OFFICE_PHONE,
        hours=[(Weekday(day).label, opens, closes) for day, (opens, closes) in hours],
    )


def catalogue_size() -> int:
    """How many types are active (from the search index: no query when warm)."""
    from permits.search import search_entries

    return len(search_entries())


# --- back office ------------------------------------------------------------------------

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
    files = Application.objects.exclude(state=Stage.DRAFT, channel=Channel.ONLINE)
    if user.role not in BACKOFFICE_ROLES:
        return files.none()
    if user.role == Role.AUDITOR or (user.unit and user.unit.code == settings.OFFICE_UNIT_CODE):
        return files
    if user.unit_id is None:
        return files.none()
    return files.filter(permit_type__opd_id=user.unit_id)


@dataclass
class WorklistFilters:
    stage: str = ""
    permit_type: int | None = None
    opd: int | None = None
    sla: str = ""  # "late" or "due_soon"
    q: str = ""
    scope: str = "mine"  # "mine" or "all" (every file the user may see)


# What ``clock_status`` needs of a file, and what a holder's display name needs.
CLOCK_COLUMNS = (
    "clock_started_at",
    "clock_running_since",
    "sop_budget",
    "work_used",
    "sop_deadline",
    "finished_late",
)
# What ``check_status`` needs: the completeness check's queue time and deadline.
CHECK_COLUMNS = ("waiting_since", "check_due_at")
HOLDER_COLUMNS = (
    "assigned_to__username",
    "assigned_to__full_name",
    "assigned_to__first_name",
    "assigned_to__last_name",
)

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
    query = filters.q.strip()
    if query.isdigit() and len(query) == 16:  # a billing code, typed by the cashier
        files = files.filter(bill__billing_code=query)
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
            "permit_type__opd", "assigned_to__unit", "applicant", "verified_by"
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
    return {"checks": checks, "events": events}


@dataclass
class OfficerLoad:
    officer: object
    open_files: int
    late_files: int


def team_load(*, supervisor, now=None) -> list[OfficerLoad]:
    """Open and late files per officer of the supervisor's unit (one query)."""
    now = now or timezone.now()
    open_filter = Q(assigned_applications__state__in=OPEN_STAGES)
    late_filter = open_filter & Q(
        assigned_applications__clock_running_since__isnull=False,
        assigned_applications__sop_deadline__lt=now,
    )
    officers = (
        User.objects.filter(unit_id=supervisor.unit_id, is_active=True)
        .exclude(role__in=[Role.APPLICANT, Role.AUDITOR])
        .annotate(
            open_files=Count("assigned_applications", filter=open_filter),
            late_files=Count("assigned_applications", filter=late_filter),
        )
        .order_by("-late_files", "-open_files", "full_name")
    )
    return [OfficerLoad(o, o.open_files, o.late_files) for o in officers]


def late_files_of_team(*, supervisor, now=None, limit: int = 50) -> list[Application]:
    """Running files past their SOP deadline held by the supervisor's unit, most overdue first."""
    now = now or timezone.now()
    return list(
        applications_visible_to(supervisor)
        .filter(
            assigned_to__unit_id=supervisor.unit_id,
            clock_running_since__isnull=False,
            sop_deadline__lt=now,
        )
        .select_related("permit_type", "assigned_to")
        .order_by("sop_deadline")[:limit]
    )


# What the tracking page shows of a file (fewer columns plan and load faster).
TRACKING_COLUMNS = (
    "public_id",
    "registration_number",
    "tracking_code",
    "state",
    "applicant_name",
    "applicant_nik",
    "applicant_deadline",
    "rejection_reason",
    "rejection_legal_basis",
    *CLOCK_COLUMNS,
    *CHECK_COLUMNS,
    "permit_type_id",
    *HOLDER_COLUMNS,
    "assigned_to__role",
    "assigned_to__unit__name_id",
    "assigned_to__unit__name_en",
)

# The latest staff views shown to the applicant (unit and role, not names). Auditors'
# views are recorded but not shown: an inspection must not tip off those it looks at.
VIEWS_SHOWN = 20


def _attnames(model, names) -> list[str]:
    """``names`` in the model's field order, as ``Model.from_db`` wants them."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in names]


_TRACKING_APP = _attnames(
    Application,
    {"id", "public_id", "registration_number", "tracking_code", "state", "applicant_name",
     "applicant_nik", "applicant_deadline", "rejection_reason", "rejection_legal_basis",
     "permit_type_id", "assigned_to_id", "held_since", *CLOCK_COLUMNS, *CHECK_COLUMNS},
)  # fmt: skip
_TRACKING_HOLDER = _attnames(
    User, {"id", "username", "full_name", "first_name", "last_name", "role", "unit_id"}
)
_TRACKING_UNIT = _attnames(OPD, {"id", "name_id", "name_en"})
_SAMPLE_CODE, _SAMPLE_ID = "#tracking-code#", -7_340_001

# The tracking page's queries, compiled once (core.prepared: the ORM's compile time was
# most of this page's time at 100 000 files).
_tracking_app = PreparedQuery(
    lambda code: Application.objects.filter(tracking_code=code).values_list(
        *_TRACKING_APP,
        *(f"assigned_to__{name}" for name in _TRACKING_HOLDER),
        *(f"assigned_to__unit__{name}" for name in _TRACKING_UNIT),
    )[:1],
    _SAMPLE_CODE,
)
_tracking_events = PreparedQuery(
    lambda pk: (
        ApplicationEvent.objects.filter(application_id=pk, action__in=list(PUBLIC_ACTIONS))
        .order_by("created_at", "id")
        .values_list("action", "created_at", "note")
    ),
    _SAMPLE_ID,
)
_tracking_views = PreparedQuery(
    lambda pk: (
        FileView.objects.filter(application_id=pk)
        .exclude(viewer_role=Role.AUDITOR)
        .order_by("-viewed_at", "-id")
        .values_list(
            "viewed_at", "viewer_role", "kind", "viewer_unit__name_id", "viewer_unit__name_en"
        )[:VIEWS_SHOWN]
    ),
    _SAMPLE_ID,
)
_tracking_problems = PreparedQuery(
    lambda pk: (
        RequirementCheck.objects.filter(
            application_id=pk, status__in=[CheckStatus.MISSING, CheckStatus.INVALID]
        )
        .order_by("requirement__position", "id")
        .values_list("requirement__name_id", "requirement__name_en", "status", "note")
    ),
    _SAMPLE_ID,
)


def tracking_lookup(code: str):
    """The parts of the public tracking page for ``code``, or None: three prepared queries
    (four for a returned file), the permit type coming from ``catalogue_types``.

    Drafts are not trackable (nothing was submitted yet).
    """
    rows = _tracking_app(normalise_tracking_code(code)[:14])
    if not rows:
        return None
    row, alias = rows[0], Application.objects.db
    n_app, n_holder = len(_TRACKING_APP), len(_TRACKING_HOLDER)
    app = Application.from_db(alias, _TRACKING_APP, row[:n_app])
    if app.state == Stage.DRAFT:
        return None
    app.permit_type = catalogue_types()[app.permit_type_id]
    if app.assigned_to_id is not None:
        holder = User.from_db(alias, _TRACKING_HOLDER, row[n_app : n_app + n_holder])
        unit_row = row[n_app + n_holder :]
        holder.unit = OPD.from_db(alias, _TRACKING_UNIT, unit_row) if unit_row[0] else None
        app.assigned_to = holder
    events = _tracking_events(app.pk)
    views = _tracking_views(app.pk)
    problems = _tracking_problems(app.pk) if app.state == Stage.RETURNED else []
    return tracking_for(app, events, problems, views)


def tracking_code_by_registration(registration_number: str, nik_last4: str) -> str | None:
    """The tracking code of a submitted file, given its number and the NIK's last 4 digits."""
    number = registration_number.strip().upper()
    if not number or len(nik_last4) != 4 or not nik_last4.isdigit():
        return None
    return (
        Application.objects.exclude(state=Stage.DRAFT)
        .filter(registration_number=number, applicant_nik__endswith=nik_last4)
        .values_list("tracking_code", flat=True)
        .first()
    )


@dataclass
class ServiceStep:
    title: str
    who: str
    detail: str = ""


def service_standard(code: str) -> PermitType:
    """An active permit type with its active requirements, for its public page (2 queries)."""
    from django.db.models import Prefetch

    from permits.models import Requirement

    return get_object_or_404(
        PermitType.objects.filter(active=True, opd__active=True)
        .select_related("opd")
        .prefetch_related(
            Prefetch(
                "requirements",
                queryset=Requirement.objects.filter(active=True).order_by("position", "pk"),
                to_attr="active_requirements",
            )
        ),
        code=code,
    )


def service_steps(permit_type: PermitType) -> list[ServiceStep]:
    """The procedure of a permit type, only with the stages it uses."""
    from django.utils.translation import gettext as _

    from permits.templatetags.permits_tags import rupiah

    office = _("Petugas loket MPP")
    steps = [
        ServiceStep(_("Pengajuan"), _("Pemohon"), _("Secara daring di Terang atau di loket MPP.")),
        ServiceStep(
            _("Pemeriksaan kelengkapan"),
            office,
            _(
                "Bila ada yang kurang, berkas dikembalikan dengan catatan apa yang harus "
                "dilengkapi."
            ),
        ),
    ]
    if permit_type.needs_technical_review:
        steps.append(ServiceStep(_("Kajian teknis"), permit_type.opd.name))
    if permit_type.needs_inspection:
        steps.append(ServiceStep(_("Peninjauan lapangan"), permit_type.opd.name))
    if permit_type.fee:
        steps.append(
            ServiceStep(
                _("Pembayaran retribusi"),
                _("Pemohon"),
                _("%(fee)s, dibayar melalui bank atau kasir; tidak ada biaya lain.")
                % {"fee": rupiah(permit_type.fee)},
            )
        )
    steps += [
        ServiceStep(_("Persetujuan"), _("Atasan yang berwenang")),
        ServiceStep(_("Penandatanganan dan penerbitan izin"), _("Kepala Dinas")),
    ]
    return steps


def files_of_applicant(user) -> list[Application]:
    """An applicant's own files, newest first, with what the dashboard shows (one query)."""
    return list(
        Application.objects.filter(applicant=user)
        .select_related("permit_type__opd")
        .order_by("-created_at", "-pk")
    )


def applicant_file(user, public_id) -> Application:
    """One of the applicant's own files, or 404 (another's file is as unknown as none)."""
    return get_object_or_404(
        Application.objects.select_related("permit_type__opd", "assigned_to__unit"),
        public_id=public_id,
        applicant=user,
    )


def latest_documents(app: Application) -> list:
    """The newest version of each requirement's document, in requirement order (one query)."""
    latest = {}
    for document in app.documents.select_related("requirement").order_by(
        "requirement__position", "requirement_id", "-version"
    ):
        latest.setdefault(document.requirement_id, document)
    return list(latest.values())
