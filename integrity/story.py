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

from django.contrib.auth import get_user_model
from django.template.loader import get_template
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.moments import moment_parse
from integrity.models import ConflictCase, FileDeclaration, Finding, Flag
from integrity.wording import duration_words, moment_words, person_words, role_words
from integrity.workspace import flag_explain
from permits.event_names import (
    APPLICATION_ASSIGNED,
    APPLICATION_CREATED,
    APPLICATION_PAID,
    APPLICATION_REASSIGNED,
    APPLICATION_RETURNED,
    APPLICATION_SUBMITTED,
    CHECK_UPDATED,
    DOCUMENT_UPLOADED,
    INTEGRITY_HELD_ATTEMPT,
    INTEGRITY_MATCH_FOUND,
    MESSAGE_POSTED,
    PERMIT_ISSUED,
    PERMIT_REVOKED,
    SLA_CHECK_OVERDUE,
    SLA_CHECK_REMINDED,
    SLA_ESCALATED,
    SLA_REMINDED,
)
from permits.models import (
    Application,
    ApplicationEvent,
    Channel,
    CheckStatus,
    Document,
    FileMessage,
    FileView,
    RequirementCheck,
)

# What the same act writes stays within this of its event (one transaction).
SAME_ACT = datetime.timedelta(seconds=5)

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

# Labels for the fields whose model gives none (their verbose_name is the bare field name).
FIELD_LABELS = {
    "assigned_at": gettext_lazy("Ditugaskan pada"),
    "returned_from": gettext_lazy("Dikembalikan dari tahap"),
    "clock_running_since": gettext_lazy("Waktu SOP berjalan sejak"),
    "sop_budget": gettext_lazy("Waktu SOP"),
    "work_used": gettext_lazy("Waktu kerja terpakai"),
    "finished_late": gettext_lazy("Selesai terlambat"),
    "submitted_at": gettext_lazy("Diajukan pada"),
    "finished_at": gettext_lazy("Selesai pada"),
    "stage_entered_at": gettext_lazy("Masuk tahap ini pada"),
    "receipt_pdf": gettext_lazy("Tanda terima (PDF)"),
    "receipt_sha256": gettext_lazy("Sidik tanda terima (SHA-256)"),
    "status": gettext_lazy("Hasil pemeriksaan"),
    "checked_by": gettext_lazy("Diperiksa oleh"),
    "checked_at": gettext_lazy("Diperiksa pada"),
}


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
    facts = _Facts(app, events, changes)
    acts = _acts(events)
    entries = [_act_entry(act, facts) for act in acts]
    entries += _fold_changes(acts, entries, changes, facts)
    entries += facts.unreferenced()
    for view in FileView.objects.filter(application=app).select_related("viewer"):
        title = _("Membuka berkas (%(kind)s)") % {"kind": view.get_kind_display()}
        entries.append(
            StoryEntry(
                view.viewed_at,
                "view",
                title,
                view.viewer,
                view.viewer_role,
                view.ip_address or "",
            )
        )
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


def _act_entry(act: _Act, facts: _Facts) -> StoryEntry:
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


# --- what events, rows and values say ---------------------------------------------------------


class _Facts:
    """The rows the story's events point to, fetched once: people, checks, documents,
    messages, declarations, cases."""

    def __init__(self, app, events, changes):
        user_ids = {e.actor_id for e in events}
        for event in events:
            data = event.data or {}
            user_ids |= {data.get(key) for key in ("to", "from", "officer", "recipient")}
        for record, model, changed in changes:
            user_ids.add(record.history_user_id)
            for name, old, new in changed:
                if _user_field(model, name):
                    user_ids |= {old, new}
        user_ids = {pk for pk in user_ids if isinstance(pk, int)}
        self.users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
        self.checks = {
            c.pk: c
            for c in RequirementCheck.objects.filter(application=app).select_related("requirement")
        }
        self.documents = {
            (d.requirement.code, d.version): d
            for d in Document.objects.filter(application=app).select_related(
                "requirement", "uploaded_by"
            )
        }
        self.messages = {
            m.pk: m for m in FileMessage.objects.filter(application=app).select_related("author")
        }
        self.declarations = list(
            FileDeclaration.objects.filter(application=app).select_related("officer")
        )
        self.cases = {
            str(c.public_id): c
            for c in ConflictCase.objects.filter(application=app).select_related("officer")
        }
        self.label = get_template("permits/backoffice/_event_label.html")
        self.used: set = set()
        self.events = events

    def user(self, pk):
        return self.users.get(pk)

    def person(self, pk) -> str:
        user = self.users.get(pk)
        return person_words(user) if user is not None else "—"

    def event_label(self, event) -> str:
        return self.label.render({"event": event}).strip()

    def event_detail(self, event) -> str:
        """What the event's data says, in words (the dotted keys stay in the record)."""
        data, action = event.data or {}, event.action
        if action in {APPLICATION_ASSIGNED, APPLICATION_REASSIGNED}:
            return _("Ditangani %(name)s.") % {"name": self.person(data.get("to"))}
        if action == APPLICATION_CREATED:
            return _("Jalur: %(channel)s.") % {"channel": _label(Channel, data.get("channel"))}
        if action == APPLICATION_SUBMITTED:
            return _("Nomor registrasi %(n)s.") % {"n": data.get("number", "—")}
        if action == CHECK_UPDATED:
            return _("%(req)s: %(old)s → %(new)s.") % {
                "req": data.get("requirement", "—"),
                "old": _label(CheckStatus, data.get("from")),
                "new": _label(CheckStatus, data.get("to")),
            }
        if action == APPLICATION_RETURNED:
            codes = [
                self.checks[pk].requirement.code
                for pk in data.get("returned_checks", [])
                if pk in self.checks
            ]
            return _("Persyaratan dikembalikan: %(reqs)s.") % {"reqs": ", ".join(codes) or "—"}
        if action == DOCUMENT_UPLOADED:
            return self._document(data)
        if action == MESSAGE_POSTED:
            message = self.messages.get(data.get("message"))
            self.used.add(("message", data.get("message")))
            return message.body if message is not None else ""
        if action in {PERMIT_ISSUED, PERMIT_REVOKED}:
            return _("Nomor izin %(n)s.") % {"n": data.get("number", "—")}
        if action == APPLICATION_PAID:
            return _("Kode bayar %(code)s, bukti %(ref)s.") % {
                "code": data.get("billing_code", "—"),
                "ref": data.get("reference", "—"),
            }
        if action.startswith("integrity.declared_"):
            return self._declaration(event)
        if action == INTEGRITY_MATCH_FOUND:
            return _("Petugas: %(name)s.") % {"name": self.person(data.get("officer"))}
        if action == INTEGRITY_HELD_ATTEMPT:
            return _("Tindakan yang dicoba: %(action)s.") % {"action": data.get("action", "—")}
        if action in {SLA_REMINDED, SLA_ESCALATED}:
            return _("Kepada %(name)s; batas waktu SOP %(deadline)s.") % {
                "name": self.person(data.get("recipient")),
                "deadline": _data_words(data.get("deadline")),
            }
        if action in {SLA_CHECK_REMINDED, SLA_CHECK_OVERDUE}:
            return _("Kepada %(name)s; batas pemeriksaan kelengkapan %(deadline)s.") % {
                "name": self.person(data.get("recipient")),
                "deadline": _data_words(data.get("deadline")),
            }
        if "case" in data:
            return self._case(data["case"])
        return "; ".join(f"{key}: {_data_words(value)}" for key, value in sorted(data.items()))

    def _document(self, data) -> str:
        key = (data.get("requirement"), data.get("version"))
        self.used.add(("document", key))
        document = self.documents.get(key)
        text = _("%(req)s versi %(v)s") % {"req": key[0], "v": key[1]}
        if document is None:
            return text
        return f"{text} · {document.original_name} · {document.size} B · {document.sha256[:16]}…"

    def _declaration(self, event) -> str:
        for declaration in self.declarations:
            if (
                declaration.officer_id == event.actor_id
                and abs(declaration.declared_at - event.created_at) <= SAME_ACT
                and ("declaration", declaration.pk) not in self.used
            ):
                self.used.add(("declaration", declaration.pk))
                parts = [declaration.get_nature_display(), declaration.related_party]
                return " · ".join(filter(None, [*parts, declaration.description]))
        return ""

    def _case(self, public_id) -> str:
        case = self.cases.get(public_id)
        if case is None:
            return ""
        self.used.add(("case", public_id))
        decision = case.get_decision_display() if case.decision else ""
        return " · ".join(filter(None, [case.state_label, decision]))

    def change_row(self, model, name, old, new) -> tuple[str, str, str]:
        try:
            model_field = model._meta.get_field(name)
        except Exception:  # a field since removed from the model
            return name, str(old), str(new)
        label = capfirst(str(FIELD_LABELS.get(name, model_field.verbose_name)))
        return label, self.value(model_field, old), self.value(model_field, new)

    def value(self, model_field, value) -> str:
        if value is None or value == "":
            return "—"
        if _user_field(model_field.model, model_field.name):
            return self.person(value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, datetime.datetime):
            return moment_words(value)
        if isinstance(value, datetime.timedelta):
            return duration_words(value)
        if isinstance(value, bool):
            return _("ya") if value else _("tidak")
        return f"{value!s:.80}"

    def unreferenced(self) -> list[StoryEntry]:
        """Rows no event points to (written before events did, or by hand): their own
        entries, so nothing of the record is left out."""
        out = []
        for key, document in self.documents.items():
            if ("document", key) not in self.used:
                title = _("Dokumen %(req)s versi %(v)s") % {"req": key[0], "v": key[1]}
                who = document.uploaded_by
                out.append(StoryEntry(document.uploaded_at, "document", title, who, who.role))
        for pk, message in self.messages.items():
            if ("message", pk) not in self.used:
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
        for declaration in self.declarations:
            if ("declaration", declaration.pk) not in self.used:
                title = (
                    _("Menyatakan ada konflik kepentingan")
                    if declaration.has_conflict
                    else _("Menyatakan tidak ada konflik kepentingan")
                )
                officer = declaration.officer
                detail = " ".join(
                    filter(None, [declaration.related_party, declaration.description])
                )
                out.append(
                    StoryEntry(
                        declaration.declared_at, "declaration", title, officer, officer.role, detail
                    )
                )
        for public_id, case in self.cases.items():
            if ("case", public_id) not in self.used:
                title = _("Kasus konflik kepentingan: %(state)s") % {"state": case.state_label}
                decision = case.get_decision_display() if case.decision else ""
                out.append(
                    StoryEntry(
                        case.opened_at, "case", title, case.officer, case.officer.role, decision
                    )
                )
        return out


def _user_field(model, name: str) -> bool:
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        return False
    return bool(model_field.is_relation and model_field.related_model is get_user_model())


def _data_words(value) -> str:
    """A value of an event's data as stored (JSON): moments are ISO text in UTC."""
    if value in (None, ""):
        return "—"
    moment = moment_parse(value) if isinstance(value, str) else None
    return moment_words(moment) if moment else f"{value!s:.80}"


def _label(choices, value) -> str:
    if value in choices.values:
        return str(choices(value).label)
    return "—" if value in (None, "") else str(value)
