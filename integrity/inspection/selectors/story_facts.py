"""What a file story's events, rows and values say (``integrity.inspection.selectors.story``):
the rows its events point to, fetched once, and each value in words."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.template.loader import get_template
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.moments import moment_parse
from integrity.conflicts.models import (
    ConflictCase,
    FileDeclaration,
)
from integrity.inspection.wording import duration_words, moment_words, person_words
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
    Channel,
    CheckStatus,
    Document,
    FileMessage,
    RequirementCheck,
)

# What the same act writes stays within this of its event (one transaction).
SAME_ACT = datetime.timedelta(seconds=5)

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


class Facts:
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
