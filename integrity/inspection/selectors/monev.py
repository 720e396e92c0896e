"""The monthly monitoring and evaluation (monev) report: what the month's numbers were.

``monev_data(month)`` gathers, for one calendar month (Asia/Jakarta):

- per permit type and per OPD: files finished, the share on time (SOP compliance), median
  and 90th-percentile working time (working hours, and as a share of the SOP), returns to
  the applicant, and the backlog (files open at the month's end);
- conflict-of-interest declarations and their outcome; holds (cases) and their length;
- red flags by rule and outcome; findings and their follow-up.

Sections for complaints and the satisfaction survey are added by the apps that own them
(``monev_section``), once they exist. Every number is computed from stored facts with a
fixed number of queries, so a month of 10 000 files costs seconds, not minutes: the files
finished and returned are added up from the per-day figures kept as the files move
(``permits.selectors.figures``); the backlog is counted on the files at the month's end.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone

from integrity.conflicts.models import (
    ConflictCase,
    FileDeclaration,
)
from integrity.inspection.flags.baselines import percentile
from integrity.inspection.models import (
    Finding,
    FindingState,
    Flag,
    FollowUp,
)
from integrity.inspection.selectors.workspace import rule_precision
from permits.models import Application, PermitType
from permits.selectors.figures import figures_for
from worktime.calendar import get_calendar

# Extra sections other apps contribute: callables (start, end) -> MonevSection | None.
_sections: list = []


def monev_section(provider):
    """Register a section provider (complaints, survey index) for the monthly report."""
    if provider not in _sections:
        _sections.append(provider)
    return provider


@dataclass
class Row:
    """The service numbers of one permit type or one OPD for the month."""

    code: str
    name: str
    opd: str = ""
    finished: int = 0
    on_time: int = 0
    returns: int = 0
    backlog: int = 0
    hours: list = field(default_factory=list)
    shares: list = field(default_factory=list)

    @property
    def compliance(self) -> float | None:
        return self.on_time / self.finished if self.finished else None

    @property
    def median_hours(self) -> float | None:
        return round(statistics.median(self.hours), 1) if self.hours else None

    @property
    def p90_hours(self) -> float | None:
        return round(percentile(sorted(self.hours), 90), 1) if self.hours else None

    @property
    def median_share(self) -> float | None:
        return statistics.median(self.shares) if self.shares else None


@dataclass
class MonevSection:
    title: str
    rows: list[tuple[str, str]]  # (label, value)


@dataclass
class MonevData:
    month: datetime.date
    start: datetime.datetime
    end: datetime.datetime
    types: list[Row]
    opds: list[Row]
    total: Row
    declarations: dict
    holds: dict
    flags: dict  # rule -> Counter(state)
    precision: dict  # rule -> Precision, the auditors' verdicts over 90 days to the month's end
    findings: dict
    sections: list[MonevSection]
    generated_at: datetime.datetime

    @property
    def period_label(self) -> str:
        return self.month.strftime("%Y-%m")

    @property
    def last_day(self) -> datetime.date:
        return (self.end - datetime.timedelta(days=1)).date()


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = get_calendar().timezone
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return (
        datetime.datetime.combine(first, datetime.time(), tzinfo=tz),
        datetime.datetime.combine(following, datetime.time(), tzinfo=tz),
    )


def previous_month(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def monev_data(month: datetime.date) -> MonevData:
    start, end = month_bounds(month)
    types = {
        pt.pk: Row(code=pt.code, name=pt.name_id, opd=pt.opd.code)
        for pt in PermitType.objects.select_related("opd")
    }
    for type_id, figures in figures_for(start, end).types.items():
        row = types[type_id]
        row.finished, row.on_time, row.returns = figures.finished, figures.on_time, figures.returned
        row.hours, row.shares = figures.hours(), figures.shares()
    backlog = (
        Application.objects.filter(submitted_at__lt=end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=end))
        .values("permit_type_id")
        .annotate(n=Count("id"))
    )
    for row in backlog:
        types[row["permit_type_id"]].backlog = row["n"]
    active = [row for row in types.values() if row.finished or row.backlog or row.returns]
    opds: dict[str, Row] = {}
    total = Row(code="", name="")
    for row in active:
        for target in (opds.setdefault(row.opd, Row(code=row.opd, name=row.opd)), total):
            target.finished += row.finished
            target.on_time += row.on_time
            target.returns += row.returns
            target.backlog += row.backlog
            target.hours += row.hours
            target.shares += row.shares
    return MonevData(
        month=month.replace(day=1),
        start=start,
        end=end,
        types=sorted(active, key=lambda r: (r.opd, r.code)),
        opds=sorted(opds.values(), key=lambda r: r.code),
        total=total,
        declarations=_declarations(start, end),
        holds=_holds(start, end),
        flags=_flags(start, end),
        precision=rule_precision(until=end),
        findings=_findings(start, end),
        sections=[s for s in (provider(start, end) for provider in _sections) if s],
        generated_at=timezone.now(),
    )


def _declarations(start, end) -> dict:
    rows = FileDeclaration.objects.filter(declared_at__gte=start, declared_at__lt=end)
    counts = rows.aggregate(total=Count("id"), conflict=Count("id", filter=Q(has_conflict=True)))
    decided = ConflictCase.objects.filter(decided_at__gte=start, decided_at__lt=end)
    outcomes = Counter(decided.values_list("decision", flat=True))
    return {**counts, "outcomes": dict(outcomes)}


def _holds(start, end) -> dict:
    """Cases opened in the month (each holds its file) and how long decided ones held."""
    calendar = get_calendar()
    opened = ConflictCase.objects.filter(opened_at__gte=start, opened_at__lt=end).count()
    spans = [
        calendar.working_time_between(opened_at, decided_at).total_seconds() / 3600
        for opened_at, decided_at in ConflictCase.objects.filter(
            decided_at__gte=start, decided_at__lt=end
        ).values_list("opened_at", "decided_at")
    ]
    still = ConflictCase.objects.filter(opened_at__lt=end).filter(
        Q(decided_at__isnull=True) | Q(decided_at__gte=end)
    )
    return {
        "opened": opened,
        "released": len(spans),
        "median_hours": round(statistics.median(spans), 1) if spans else None,
        "max_hours": round(max(spans), 1) if spans else None,
        "open_at_end": still.count(),
    }


def _flags(start, end) -> dict[str, Counter]:
    rows = Flag.objects.filter(occurred_at__gte=start, occurred_at__lt=end).values_list(
        "rule", "state"
    )
    table: dict[str, Counter] = defaultdict(Counter)
    for rule, state in rows:
        table[rule][state] += 1
    return dict(sorted(table.items()))


def _findings(start, end) -> dict:
    opened = Finding.objects.filter(opened_at__gte=start, opened_at__lt=end).count()
    closed = Finding.objects.filter(closed_at__gte=start, closed_at__lt=end).count()
    open_at_end = Finding.objects.filter(opened_at__lt=end).exclude(
        state=FindingState.CLOSED, closed_at__lt=end
    )
    overdue = open_at_end.filter(due_date__lt=end.date()).count()
    reports = FollowUp.objects.filter(
        created_at__gte=start, created_at__lt=end, kind=FollowUp.Kind.REPORT
    ).count()
    return {
        "opened": opened,
        "closed": closed,
        "open_at_end": open_at_end.count(),
        "overdue": overdue,
        "reports": reports,
    }


def recommendations_section(start, end) -> MonevSection | None:
    """The technical team's month (issue 22.1): recommendations asked, answered (late ones
    and dissents among them) and still awaited at the month's end, in all and per agency.
    Three queries; no section in a month without any."""
    from django.utils.translation import gettext as _

    from permits.models import Recommendation, Verdict

    asked = Counter(
        dict(
            Recommendation.objects.filter(requested_at__gte=start, requested_at__lt=end)
            .values_list("opd__name_id")
            .annotate(n=Count("id"))
        )
    )
    answered = {
        name: (n, late, dissent)
        for name, n, late, dissent in Recommendation.objects.filter(
            signed_at__gte=start, signed_at__lt=end
        )
        .values_list("opd__name_id")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(signed_at__gt=F("due_at"))),
            dissent=Count("id", filter=Q(verdict=Verdict.NOT_RECOMMENDED)),
        )
    }
    awaited = Counter(
        dict(
            Recommendation.objects.filter(requested_at__lt=end)
            .filter(Q(signed_at__isnull=True) | Q(signed_at__gte=end))
            .values_list("opd__name_id")
            .annotate(n=Count("id"))
        )
    )
    if not (asked or answered or awaited):
        return None
    given = sum(n for n, _late, _dissent in answered.values())
    rows = [
        (_("Rekomendasi diminta"), str(sum(asked.values()))),
        (_("Rekomendasi disahkan"), str(given)),
        (_("… melewati batas waktunya"), str(sum(v[1] for v in answered.values()))),
        (_("… tidak merekomendasikan"), str(sum(v[2] for v in answered.values()))),
        (_("Belum diberikan di akhir bulan"), str(sum(awaited.values()))),
    ]
    for name in sorted(set(asked) | set(answered) | set(awaited)):
        n, late, _dissent = answered.get(name, (0, 0, 0))
        rows.append(
            (
                name,
                _("%(asked)d diminta, %(given)d disahkan (%(late)d terlambat), %(awaited)d belum")
                % {"asked": asked[name], "given": n, "late": late, "awaited": awaited[name]},
            )
        )
    return MonevSection(_("Rekomendasi tim teknis"), rows)


monev_section(recommendations_section)


def site_visits_section(start, end) -> MonevSection | None:
    """The month's site visits (issue 22.2): reports signed off, what they concluded, the
    objections the applicants wrote, the visits with a photo whose place or time does not
    match, those signed without a photo, and the inspections finished in the month without
    a signed report. Three queries; no section in a month without any."""
    from django.utils.translation import gettext as _

    from permits.event_names import APPLICATION_INSPECTED
    from permits.models import ApplicationEvent, Conclusion, SiteVisit, VisitStatus

    signed = SiteVisit.objects.filter(
        status=VisitStatus.SIGNED, signed_at__gte=start, signed_at__lt=end
    ).aggregate(
        n=Count("id", distinct=True),
        differs=Count("id", filter=Q(conclusion=Conclusion.DIFFERS), distinct=True),
        notes=Count("id", filter=Q(conclusion=Conclusion.WITH_NOTES), distinct=True),
        objections=Count("id", filter=~Q(applicant_objection=""), distinct=True),
        mismatch=Count(
            "id",
            filter=Q(photos__place_mismatch=True) | Q(photos__time_mismatch=True),
            distinct=True,
        ),
        photographed=Count("id", filter=Q(photos__isnull=False), distinct=True),
    )
    scheduled = SiteVisit.objects.filter(proposed_at__gte=start, proposed_at__lt=end).count()
    inspected = ApplicationEvent.objects.filter(
        action=APPLICATION_INSPECTED, created_at__gte=start, created_at__lt=end
    )
    unreported = inspected.exclude(application__site_visits__status=VisitStatus.SIGNED).aggregate(
        n=Count("application_id", distinct=True)
    )["n"]
    if not (signed["n"] or scheduled or unreported):
        return None
    rows = [
        (_("Peninjauan dijadwalkan"), str(scheduled)),
        (_("Berita acara ditandatangani lengkap"), str(signed["n"])),
        (_("… tidak sesuai dengan permohonan"), str(signed["differs"])),
        (_("… sesuai dengan catatan"), str(signed["notes"])),
        (_("… dengan keberatan pemohon"), str(signed["objections"])),
        (_("… dengan foto yang tempat atau waktunya tidak cocok"), str(signed["mismatch"])),
        (_("… tanpa foto"), str(signed["n"] - signed["photographed"])),
        (_("Peninjauan lapangan diselesaikan tanpa berita acara"), str(unreported)),
    ]
    return MonevSection(_("Peninjauan lapangan"), rows)


monev_section(site_visits_section)
