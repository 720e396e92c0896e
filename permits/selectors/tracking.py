"""The public tracking page's reads: three prepared queries for a tracking code, and the
code found again from a registration number."""

from __future__ import annotations

import hashlib

from accounts.models import Role, User
from core.prepared import PreparedQuery, model_columns
from permits.models import (
    OPD,
    Application,
    ApplicationEvent,
    CheckStatus,
    FileView,
    Recommendation,
    RequirementCheck,
    SiteVisit,
    Stage,
    normalise_tracking_code,
)
from permits.models.site_visits import OPEN_VISIT_STATUSES
from permits.selectors.catalogue import catalogue_types
from permits.selectors.columns import CHECK_COLUMNS, CLOCK_COLUMNS, HOLDER_COLUMNS
from permits.tracking import PUBLIC_ACTIONS, tracking_for

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


_TRACKING_APP = model_columns(
    Application,
    {"id", "public_id", "registration_number", "tracking_code", "state", "applicant_name",
     "applicant_nik", "applicant_deadline", "rejection_reason", "rejection_legal_basis",
     "permit_type_id", "assigned_to_id", "held_since", *CLOCK_COLUMNS, *CHECK_COLUMNS},
)  # fmt: skip
_TRACKING_HOLDER = model_columns(
    User, {"id", "username", "full_name", "first_name", "last_name", "role", "unit_id"}
)
_TRACKING_UNIT = model_columns(OPD, {"id", "name_id", "name_en"})
_SAMPLE_CODE, _SAMPLE_NUMBER, _SAMPLE_ID = "#tracking-code#", "#registration#", -7_340_001

# The tracking page's queries, compiled once (core.prepared: the ORM's compile time was
# most of this page's time at 100 000 files).


def _tracking_file(**where):
    return Application.objects.filter(**where).values_list(
        *_TRACKING_APP,
        *(f"assigned_to__{name}" for name in _TRACKING_HOLDER),
        *(f"assigned_to__unit__{name}" for name in _TRACKING_UNIT),
    )[:1]


_tracking_app = PreparedQuery(lambda code: _tracking_file(tracking_code=code), _SAMPLE_CODE)
# The same by registration number, for the partners' API (issue 21.9).
_tracking_app_by_number = PreparedQuery(
    lambda number: _tracking_file(registration_number=number), _SAMPLE_NUMBER
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


_tracking_recommendations = PreparedQuery(
    lambda pk: (
        Recommendation.objects.filter(application_id=pk)
        .order_by("opd__name_id", "id")
        .values_list("opd__name_id", "opd__name_en", "due_at", "signed_at")
    ),
    _SAMPLE_ID,
)

_tracking_visit = PreparedQuery(
    lambda pk: SiteVisit.objects.filter(
        application_id=pk, status__in=OPEN_VISIT_STATUSES
    ).values_list("appointment_at", "status", "wished_at"),
    _SAMPLE_ID,
)


def tracking_lookup(code: str):
    """The parts of the public tracking page for ``code``, or None: three prepared queries
    (four for a returned file, one in technical review or one in inspection), the permit
    type coming from ``catalogue_types``.

    Drafts are not trackable (nothing was submitted yet).
    """
    return _tracking_of(_tracking_app(normalise_tracking_code(code)[:14]))


def tracking_by_number(registration_number: str):
    """``tracking_lookup`` for the file with ``registration_number`` (the partners' API,
    which knows files by number): the same three prepared queries."""
    return _tracking_of(_tracking_app_by_number(registration_number.strip().upper()[:40]))


def _tracking_of(rows):
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
    asked = _tracking_recommendations(app.pk) if app.state == Stage.TECHNICAL_REVIEW else []
    visit = _tracking_visit(app.pk) if app.state == Stage.INSPECTION else []
    tracking = tracking_for(app, events, problems, views, recommendations=asked, visit=visit)
    digested = (row, events, views, problems, asked, visit)
    tracking.source = hashlib.sha256(repr(digested).encode()).hexdigest()
    return tracking


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
