"""One file's whole story for the inspectorate, one entry per act, in words.

The record of a file lives in several places: the event log (one row per act, sometimes
two written by the same act in the same transaction: a transition and the automatic
assignment it caused, a signature and the permit number it gave), the field history
(django-simple-history rows the same act wrote), documents, messages, declarations and
cases (rows an event points to), staff views, flags, findings and, from ``public``,
complaints and the survey answer. Each act becomes one entry: the event, with what the same
transaction wrote folded into it (follow-up events, field changes, the document, the
message, the declaration). Values are said in words (people by name and role, choices by
label, moments in the office's time zone). A fixed number of queries, whatever the length
of the history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.moments import TIME, moment_text
from integrity.inspection.models import (
    Finding,
    Flag,
)
from integrity.inspection.selectors.story_facts import SAME_ACT, Facts
from integrity.inspection.selectors.workspace import flag_explain
from integrity.inspection.wording import person_words, role_words
from permits.event_names import (
    APPLICATION_SUBMITTED,
    CHECK_UPDATED,
)
from permits.models import (
    Application,
    ApplicationEvent,
    FileView,
    RequirementCheck,
)

# The kinds of entries an auditor filters the story by.
GROUPS = (
    ("event", gettext_lazy("Peristiwa")),
    ("change", gettext_lazy("Perubahan data")),
    ("document", gettext_lazy("Dokumen")),
    ("message", gettext_lazy("Pesan")),
    ("view", gettext_lazy("Akses petugas")),
    ("integrity", gettext_lazy("Integritas")),
)
GROUP_OF_KIND = {
    "event": "event",
    "change": "change",
    "document": "document",
    "message": "message",
    "view": "view",
}  # every other kind (declaration, case, flag, finding, complaint, survey): integrity


@dataclass(frozen=True)
class StoryEntry:
    """One act on the file's story, with the field changes it made (label, old, new)."""

    at: datetime.datetime
    kind: str  # event, change, document, message, view, integrity, declaration, case, flag,
    # finding, and from other apps: complaint, survey
    title: str
    who: object | None = None
    role: str = ""
    detail: str = ""
    action: str = ""  # an event's dotted name
    changes: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what follow-up events of the act said

    @property
    def group(self) -> str:
        return GROUP_OF_KIND.get(self.kind, "integrity")

    @property
    def role_label(self) -> str:
        return role_words(self.role)

    @property
    def who_text(self) -> str:
        if self.who is None:
            return self.role_label
        return person_words(self.who, self.role)


# Other apps' parts of a file's story (complaints, survey answers): callables app -> entries.
_story_sources: list = []


def story_source(provider):
    """Register a provider of more story entries for a file (``public`` adds complaints and
    the survey answer), so the inspectorate reads them on the same timeline."""
    if provider not in _story_sources:
        _story_sources.append(provider)
    return provider


def file_story(app: Application, *, groups=None) -> list[StoryEntry]:
    """Everything that happened to the file, oldest first, one entry per act; ``groups``
    keeps only entries of those kinds (``GROUPS``)."""
    events = list(
        ApplicationEvent.objects.filter(application=app)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    app_history = list(app.history.order_by("history_date", "history_id"))
    check_history = list(
        RequirementCheck.history.filter(application_id=app.pk)
        .select_related("requirement")
        .order_by("id", "history_date", "history_id")
    )
    changes = _changes(app_history, Application) + _changes(check_history, RequirementCheck)
    facts = Facts(app, events, changes)
    acts = _acts(events)
    entries = [_act_entry(act, facts) for act in acts]
    entries += _fold_changes(acts, entries, changes, facts)
    entries += _unreferenced(facts)
    entries += _view_entries(app)
    for flag in Flag.objects.filter(application=app):
        title = f"{flag.rule} · {flag.severity_label}"
        entries.append(StoryEntry(flag.raised_at, "flag", title, detail=flag_explain(flag)))
    for finding in Finding.objects.filter(application=app):
        title = f"{finding.number} · {finding.title}"
        entries.append(StoryEntry(finding.opened_at, "finding", title, detail=finding.state_label))
    for provider in _story_sources:
        entries.extend(provider(app))
    entries.sort(key=lambda entry: entry.at)
    if groups:
        entries = [entry for entry in entries if entry.group in groups]
    return entries


# A staff member's views of the file this close together are one sitting: one entry.
VIEW_SITTING = datetime.timedelta(minutes=30)


def _view_entries(app: Application) -> list[StoryEntry]:
    """The staff's views of the file, a sitting per entry (the same person and kind, each
    view within ``VIEW_SITTING`` of the one before): "3 kali, sampai 09.40". A file opened
    hundreds of times reads as the sittings they were, not as hundreds of lines."""
    entries, last = [], {}
    views = FileView.objects.filter(application=app).select_related("viewer").order_by("viewed_at")
    for view in views:
        key = (view.viewer_id, view.kind, view.ip_address)
        sitting = last.get(key)
        if sitting is not None and view.viewed_at - sitting["until"] <= VIEW_SITTING:
            sitting["count"] += 1
            sitting["until"] = view.viewed_at
            continue
        last[key] = {"view": view, "count": 1, "until": view.viewed_at}
        entries.append(last[key])
    return [_view_entry(**sitting) for sitting in entries]


def _view_entry(view, count: int, until) -> StoryEntry:
    title = _("Membuka berkas (%(kind)s)") % {"kind": view.get_kind_display()}
    detail = view.ip_address or ""
    if count > 1:
        times = _("%(n)d kali, sampai %(time)s") % {"n": count, "time": moment_text(until, TIME)}
        detail = " · ".join(part for part in (times, detail) if part)
    return StoryEntry(view.viewed_at, "view", title, view.viewer, view.viewer_role, detail)


# --- acts: events and their follow-ups -------------------------------------------------------


@dataclass
class _Act:
    event: ApplicationEvent
    follow_ups: list = field(default_factory=list)

    @property
    def events(self):
        return [self.event, *self.follow_ups]


def _acts(events) -> list[_Act]:
    """Events written by the same act share its actor and moment (``transition_fire``
    passes one ``at`` to the transition, the assignment it causes and issuance's receiver):
    the first is the act, the others its follow-ups."""
    acts: list[_Act] = []
    for event in events:
        last = acts[-1].event if acts else None
        if (
            last is not None
            and last.actor_id == event.actor_id
            and last.created_at == event.created_at
        ):
            acts[-1].follow_ups.append(event)
        else:
            acts.append(_Act(event))
    return acts


def _event_kind(action: str) -> str:
    prefix = action.split(".", 1)[0]
    return {"document": "document", "message": "message", "integrity": "integrity"}.get(
        prefix, "event"
    )


def _act_entry(act: _Act, facts: Facts) -> StoryEntry:
    event = act.event
    notes = [facts.event_detail(e) for e in act.follow_ups]
    return StoryEntry(
        event.created_at,
        _event_kind(event.action),
        facts.event_label(event),
        event.actor,
        event.actor_role,
        " ".join(filter(None, [facts.event_detail(event), event.note])),
        action=event.action,
        notes=[note for note in notes if note],
    )


# --- field changes -----------------------------------------------------------------------------


def _changes(records, model) -> list[tuple]:
    """(record, [(field name, old, new), ...]) for each historical record against the one
    before it of the same object (records ordered by object, then time)."""
    out, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        if before is not None:
            delta = record.diff_against(before)
            changed = [(c.field, c.old, c.new) for c in delta.changes]
            if changed:
                out.append((record, model, changed))
        previous[record.id] = record
    return out


def _fold_changes(acts, entries, changes, facts) -> list[StoryEntry]:
    """Attach each historical record to the act that wrote it (same person, within
    ``SAME_ACT``, the act whose events match the change best); a change no act explains
    (an administrator's edit) is an entry of its own."""
    by_actor = defaultdict(list)
    for act, entry in zip(acts, entries, strict=True):
        by_actor[act.event.actor_id].append((act, entry))
    standalone = []
    for record, model, changed in changes:
        rows = [facts.change_row(model, name, old, new) for name, old, new in changed]
        # A moment rewritten within the same minute reads the same in words: not a change.
        rows = [row for row in rows if row[1] != row[2]]
        if not rows:
            continue
        owner = _owner(record, {name for name, _old, _new in changed}, by_actor)
        if owner is not None:
            owner.changes.extend(rows)
            continue
        requirement = getattr(record, "requirement", None)
        title = (
            _("Pemeriksaan %(req)s diubah") % {"req": requirement.code}
            if requirement is not None
            else _("Data berkas diubah")
        )
        user = facts.user(record.history_user_id)
        standalone.append(
            StoryEntry(
                record.history_date,
                "change",
                title,
                user,
                getattr(user, "role", ""),
                changes=rows,
            )
        )
    return standalone


def _owner(record, names: set, by_actor) -> StoryEntry | None:
    near = [
        (act, entry)
        for act, entry in by_actor.get(record.history_user_id, [])
        if abs(act.event.created_at - record.history_date) <= SAME_ACT
    ]
    if not near:
        return None
    fitting = [pair for pair in near if _explains(pair[0], record, names)]
    _act, entry = min(
        fitting or near, key=lambda pair: abs(pair[0].event.created_at - record.history_date)
    )
    return entry


def _explains(act: _Act, record, names: set) -> bool:
    """Whether one of the act's events is what this historical record wrote."""
    for event in act.events:
        data = event.data or {}
        requirement = getattr(record, "requirement", None)
        if requirement is not None:
            if event.action == CHECK_UPDATED and data.get("requirement") == requirement.code:
                return True
            continue
        if "state" in names and event.from_state != event.to_state == record.state:
            return True
        if "assigned_to" in names and data.get("to") == record.assigned_to_id:
            return True
        if "registration_number" in names and event.action == APPLICATION_SUBMITTED:
            return True
    return False


def _unreferenced(facts: Facts) -> list[StoryEntry]:
    """Rows no event points to (written before events did, or by hand): their own
    entries, so nothing of the record is left out."""
    out = []
    for key, document in facts.documents.items():
        if ("document", key) not in facts.used:
            title = _("Dokumen %(req)s versi %(v)s") % {"req": key[0], "v": key[1]}
            who = document.uploaded_by
            out.append(StoryEntry(document.uploaded_at, "document", title, who, who.role))
    for pk, message in facts.messages.items():
        if ("message", pk) not in facts.used:
            out.append(
                StoryEntry(
                    message.created_at,
                    "message",
                    _("Pesan"),
                    message.author,
                    message.author_role,
                    message.body,
                )
            )
    for declaration in facts.declarations:
        if ("declaration", declaration.pk) not in facts.used:
            title = (
                _("Menyatakan ada konflik kepentingan")
                if declaration.has_conflict
                else _("Menyatakan tidak ada konflik kepentingan")
            )
            officer = declaration.officer
            detail = " ".join(filter(None, [declaration.related_party, declaration.description]))
            out.append(
                StoryEntry(
                    declaration.declared_at, "declaration", title, officer, officer.role, detail
                )
            )
    for public_id, case in facts.cases.items():
        if ("case", public_id) not in facts.used:
            title = _("Kasus konflik kepentingan: %(state)s") % {"state": case.state_label}
            decision = case.get_decision_display() if case.decision else ""
            out.append(
                StoryEntry(case.opened_at, "case", title, case.officer, case.officer.role, decision)
            )
    return out
