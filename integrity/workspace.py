"""What the inspectorate's workspace reads: the flag queue, random samples of unflagged
files, and one file's whole story on a single timeline. Each runs a fixed number of
queries whatever the size of the history."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.flags.registry import RULES
from integrity.models import (
    ConflictCase,
    FileDeclaration,
    Finding,
    Flag,
    FlagState,
)
from permits.models import (
    Application,
    ApplicationEvent,
    Document,
    FileMessage,
    FileView,
    RequirementCheck,
)
from portal.moments import SECONDS, moment_parse, moment_text

QUEUE_PAGE = 50


def flag_queue(
    *, rule="", severity="", opd=None, officer=None, since=None, until=None, state=FlagState.OPEN
):
    """Flags in the order an auditor works them: newest evidence first."""
    flags = Flag.objects.select_related(
        "application__permit_type__opd", "officer", "finding"
    ).order_by("-occurred_at", "-id")
    if state:
        flags = flags.filter(state=state)
    if rule:
        flags = flags.filter(rule=rule)
    if severity:
        flags = flags.filter(severity=severity)
    if opd is not None:
        flags = flags.filter(application__permit_type__opd=opd)
    if officer is not None:
        flags = flags.filter(officer=officer)
    if since:
        flags = flags.filter(occurred_at__date__gte=since)
    if until:
        flags = flags.filter(occurred_at__date__lte=until)
    return flags


def flag_counts() -> dict[str, int]:
    """Open flags per rule, for the queue's summary."""
    rows = Flag.objects.filter(state=FlagState.OPEN).values("rule").annotate(n=Count("id"))
    return {row["rule"]: row["n"] for row in rows}


def flag_explain(flag: Flag) -> str:
    rule = RULES.get(flag.rule)
    return str(rule.explain(flag.detail)) if rule else ""


def unflagged_sample(*, size: int, opd=None, since=None, until=None, seed=None):
    """A random sample of submitted files without any flag (for audits that must not only
    look where the rules point). The seed is returned so the same draw can be repeated."""
    seed = seed if seed is not None else random.SystemRandom().randrange(10**6)
    files = Application.objects.filter(submitted_at__isnull=False).exclude(
        Exists(Flag.objects.filter(application=OuterRef("pk")))
    )
    if opd is not None:
        files = files.filter(permit_type__opd=opd)
    if since:
        files = files.filter(submitted_at__date__gte=since)
    if until:
        files = files.filter(submitted_at__date__lte=until)
    ids = list(files.values_list("pk", flat=True).order_by("pk"))
    # A reproducible draw (the seed is printed), not a secret: S311 does not apply.
    chosen = random.Random(seed).sample(ids, min(size, len(ids)))  # noqa: S311
    sample = list(
        Application.objects.filter(pk__in=chosen)
        .select_related("permit_type__opd", "assigned_to")
        .order_by("submitted_at")
    )
    return sample, seed


@dataclass(frozen=True)
class StoryEntry:
    """One line of a file's story."""

    at: datetime.datetime
    kind: str  # event, change, document, message, view, declaration, case, flag, finding,
    # and from other apps: complaint, survey
    title: str
    who: object | None = None
    role: str = ""
    detail: str = ""
    action: str = ""  # an event's dotted name


def _value(value) -> str:
    if isinstance(value, datetime.datetime):
        return moment_text(value, SECONDS)
    return "—" if value in (None, "") else f"{value!s:.80}"


def _changes(records) -> list[tuple]:
    """(record, "field: old → new; ...") for each historical record against the one before
    it of the same object (records ordered by object, then time)."""
    out, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        if before is not None:
            delta = record.diff_against(before)
            text = "; ".join(f"{c.field}: {_value(c.old)} → {_value(c.new)}" for c in delta.changes)
            if text:
                out.append((record, text))
        previous[record.id] = record
    return out


# Other apps' parts of a file's story (complaints, survey answers): callables app -> entries.
_story_sources: list = []


def story_source(provider):
    """Register a provider of more story entries for a file (``public`` adds complaints and
    the survey answer), so the inspectorate reads them on the same timeline."""
    if provider not in _story_sources:
        _story_sources.append(provider)
    return provider


def file_story(app: Application) -> list[StoryEntry]:
    """Everything that happened to the file, oldest first: events, field changes, document
    versions, messages, views (auditors' included), declarations, cases, flags, findings."""
    entries = []
    for event in ApplicationEvent.objects.filter(application=app).select_related("actor"):
        detail = " ".join(filter(None, [event.note, _data_text(event.data)]))
        entries.append(
            StoryEntry(
                event.created_at,
                "event",
                event.action,
                event.actor,
                event.actor_role,
                detail,
                action=event.action,
            )
        )
    app_history = app.history.select_related("history_user").order_by("history_date", "pk")
    check_history = (
        RequirementCheck.history.filter(application_id=app.pk)
        .select_related("history_user", "requirement")
        .order_by("id", "history_date", "pk")
    )
    for record, text in _changes(app_history) + _changes(check_history):
        user = record.history_user
        requirement = getattr(record, "requirement", None)
        title = (
            _("Pemeriksaan %(req)s diubah") % {"req": requirement.code}
            if requirement is not None
            else _("Data berkas diubah")
        )
        entries.append(
            StoryEntry(record.history_date, "change", title, user, getattr(user, "role", ""), text)
        )
    for doc in Document.objects.filter(application=app).select_related(
        "requirement", "uploaded_by"
    ):
        entries.append(
            StoryEntry(
                doc.uploaded_at,
                "document",
                _("Dokumen %(req)s versi %(v)s") % {"req": doc.requirement.code, "v": doc.version},
                doc.uploaded_by,
                doc.uploaded_by.role,
                f"{doc.original_name} · {doc.size} B · sha256 {doc.sha256[:16]}…",
            )
        )
    for message in FileMessage.objects.filter(application=app).select_related("author"):
        entries.append(
            StoryEntry(
                message.created_at,
                "message",
                _("Pesan"),
                message.author,
                message.author_role,
                message.body,
            )
        )
    for view in FileView.objects.filter(application=app).select_related("viewer"):
        entries.append(
            StoryEntry(
                view.viewed_at,
                "view",
                _("Membuka berkas (%(kind)s)") % {"kind": view.get_kind_display()},
                view.viewer,
                view.viewer_role,
                view.ip_address or "",
            )
        )
    for declaration in FileDeclaration.objects.filter(application=app).select_related("officer"):
        title = (
            _("Menyatakan ada konflik kepentingan")
            if declaration.has_conflict
            else _("Menyatakan tidak ada konflik kepentingan")
        )
        entries.append(
            StoryEntry(
                declaration.declared_at,
                "declaration",
                title,
                declaration.officer,
                declaration.officer.role,
                " ".join(filter(None, [declaration.related_party, declaration.description])),
            )
        )
    for case in ConflictCase.objects.filter(application=app).select_related("officer"):
        entries.append(
            StoryEntry(
                case.opened_at,
                "case",
                _("Kasus konflik kepentingan: %(state)s") % {"state": case.state_label},
                case.officer,
                case.officer.role,
                case.get_decision_display() if case.decision else "",
            )
        )
    for flag in Flag.objects.filter(application=app):
        entries.append(
            StoryEntry(
                flag.raised_at,
                "flag",
                f"{flag.rule} · {flag.severity_label}",
                detail=flag_explain(flag),
            )
        )
    for finding in Finding.objects.filter(application=app):
        entries.append(
            StoryEntry(
                finding.opened_at,
                "finding",
                f"{finding.number} · {finding.title}",
                detail=finding.state_label,
            )
        )
    for provider in _story_sources:
        entries.extend(provider(app))
    entries.sort(key=lambda entry: entry.at)
    return entries


def _data_text(data) -> str:
    if not data:
        return ""
    return ", ".join(f"{key}={_data_value(value)}" for key, value in sorted(data.items()))[:300]


def _data_value(value) -> str:
    """An event's data as stored (JSON); moments are stored as ISO text in UTC."""
    moment = moment_parse(value) if isinstance(value, str) else None
    return moment_text(moment, SECONDS) if moment else str(value)


def period_default() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=90), today
