"""FLIP: content found wanting was passed as complete, and the file then moved on.

"Incomplete, then suddenly complete": a requirement found missing or invalid turned "ok"
on content already found wanting. The rule reads the content, not only the verdicts:

- ``same_hash``: the latest document at the "ok" has the same SHA-256 as a version that
  was the latest at a "missing" or "invalid" verdict on that requirement (a re-upload of
  the returned bytes is not a fix, however new its version number);
- ``same_text``: the latest document is a PDF whose words are those of a version found
  wanting, in other bytes (exported or saved again: ``permits.document_text``); a scan or
  an image has no words to compare, so a re-saved scan is not seen;
- ``no_new_document``: the verdict turned from missing or invalid to "ok" and nothing was
  uploaded for that requirement since it was found wanting.

The counter asks for a written reason in both cases and marks the ``check.updated`` event
(``same_content``, ``content``: ``permits.services.checks``); the rule recomputes the same
from the requirement's uploads (each ``document.uploaded`` names its SHA-256) and verdicts
before the "ok" in commit order, so history written before that mark is judged alike. An
"ok" given again on a verdict that already stood (a note changed) is not a new flip.

A verdict its own author corrects within ``correction_minutes`` (default 15), before the
file went back to the applicant, is a mis-click put right, not a flip: the officer is still
on the checklist and nobody has acted on the wrong verdict. Fifteen minutes is the time
to notice a wrong click while the checklist is still open; a flip is turned later, after
the file waited.

Severity medium; high when the file then moved onwards (declared complete, reviewed,
approved, signed) within ``fast_move_hours`` of working time (default 7, about one service
day) after the "ok": a file that should have waited for the applicant was pushed through.
Evidence: the verdict that found it wanting, the upload of the same bytes (if any), the
"ok", and the fast move.

The file's details (issue 19) are judged alike: the counter's data line found named fields
wrong (``data.checked`` to "wrong"), and a later "right" with those fields still as they
were found (``uncorrected``, recorded with the officer's written reason by
``permits.services.data_checks``) is a flip (``uncorrected_data``), a mis-click corrected
at once excepted, with the same severity for a fast move. The history generator plants no
such flip yet: this part is judged only by its tests at the edges.

Expected false flags (bench/history.py, 480 files over four months, about 120 a month,
seeds 1 and 2): 0 to 1 in four months (a mis-click corrected after more than 15 minutes);
recall 1.00 and 0.90. A flip passed on a re-saved scan (a picture, no words) is not seen.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from integrity.inspection.flags.registry import Hit, Rule
from integrity.inspection.flags.rules.common import BAD_CHECKS, FORWARD_ACTIONS, hours
from integrity.inspection.models import Severity
from integrity.inspection.wording import hours_words
from permits.details.spec import labels
from permits.event_names import (
    APPLICATION_RETURNED,
    CHECK_UPDATED,
    DATA_CHECKED,
    DOCUMENT_UPLOADED,
)
from permits.models import Application, ApplicationEvent, CheckStatus

SAME_HASH = "same_hash"
SAME_TEXT = "same_text"
NO_NEW_DOCUMENT = "no_new_document"
UNCORRECTED_DATA = "uncorrected_data"  # the file's details found wrong, passed unchanged
CORRECTED = "corrected"  # a mis-click its author put right at once: no flip
# How far back a move looks for the "ok" it follows (a bound on the lookup, not a rule).
LOOKBACK_EVENTS = 50


def _is_ok(event) -> bool:
    data = event.data if isinstance(event.data, dict) else {}
    return event.action in (CHECK_UPDATED, DATA_CHECKED) and data.get("to") == CheckStatus.OK


def _data_wanting(event, correction: datetime.timedelta) -> tuple[str | None, tuple[int, ...]]:
    """Whether this "right" on the file's details passed fields found wrong and left as they
    were: the reason and the evidence (the verdict that found them wrong)."""
    if not event.data.get("uncorrected"):
        return None, ()
    found = (
        ApplicationEvent.objects.filter(
            application_id=event.application_id,
            action=DATA_CHECKED,
            data__to="wrong",
            seq__lt=event.seq,
        )
        .order_by("-seq")
        .first()
    )
    if found is not None and _corrected_at_once(found, event, correction):
        return CORRECTED, ()
    return UNCORRECTED_DATA, (found.pk,) if found is not None else ()


def _corrected_at_once(found, event, correction: datetime.timedelta) -> bool:
    """The verdict ``found`` turned to ok by its own author within ``correction``, with
    the file not returned to the applicant in between: a mis-click put right."""
    if found.actor_id != event.actor_id or event.created_at - found.created_at > correction:
        return False
    return not ApplicationEvent.objects.filter(
        application_id=event.application_id,
        action=APPLICATION_RETURNED,
        seq__gt=found.seq,
        seq__lt=event.seq,
    ).exists()


def _wanting(event, correction: datetime.timedelta) -> tuple[str | None, tuple[int, ...]]:
    """Whether this "ok" judged content found wanting, as of the event: the reason and the
    evidence (the verdict that found it wanting, the upload of the same bytes). Read from
    the requirement's verdicts and uploads before it, in commit order (``seq``)."""
    data = event.data
    requirement, before = data.get("requirement"), data.get("from")
    history = ApplicationEvent.objects.filter(
        application_id=event.application_id,
        action__in=(CHECK_UPDATED, DOCUMENT_UPLOADED),
        data__requirement=requirement,
        seq__lt=event.seq,
    ).order_by("seq")
    latest = found = None  # the latest upload; the latest verdict found wanting
    digests = {}  # SHA-256 of each version found wanting: the verdict that found it
    texts = {}  # the same, of each such version's words (a PDF with text)
    new_since_found = new_since_verdict = False
    for past in history:
        if past.action == DOCUMENT_UPLOADED:
            latest = past
            new_since_found = new_since_verdict = True
            continue
        new_since_verdict = False
        if past.data.get("to") in BAD_CHECKS:
            found, new_since_found = past, False
            if latest is not None:
                digests.setdefault(latest.data.get("sha256"), past)
                if latest.data.get("text_sha256"):
                    texts.setdefault(latest.data["text_sha256"], past)
    if found is None:
        return None, ()
    if before == CheckStatus.OK and not new_since_verdict:
        return None, ()  # "ok" again on the document it judged: no new judgement
    if before in BAD_CHECKS and not new_since_found:
        if _corrected_at_once(found, event, correction):
            return CORRECTED, ()
        return NO_NEW_DOCUMENT, (found.pk,)
    if latest is not None and latest.data.get("sha256") in digests:
        return SAME_HASH, (digests[latest.data["sha256"]].pk, latest.pk)
    if latest is not None and latest.data.get("text_sha256") in texts:
        return SAME_TEXT, (texts[latest.data["text_sha256"]].pk, latest.pk)
    return None, ()


class Flip(Rule):
    code = "FLIP"
    title = _("Persyaratan tiba-tiba dinyatakan lengkap")
    description = _(
        "Persyaratan yang kurang atau tidak sah dinyatakan sesuai atas isi yang sama "
        "(dokumen identik dengan yang ditolak, atau tanpa dokumen baru); lebih berat bila "
        "berkas lalu cepat diteruskan."
    )
    severity = Severity.MEDIUM
    params = {"fast_move_hours": 7, "correction_minutes": 15}
    triggers = frozenset({CHECK_UPDATED, DATA_CHECKED} | FORWARD_ACTIONS)

    def on_event(self, event, params, context):
        if event.action in (CHECK_UPDATED, DATA_CHECKED):
            hit = self._flip(event, params) if _is_ok(event) else None
            return [hit] if hit else []
        # A move onwards: the "ok"s it is the first move after, if it came fast enough.
        window = params["fast_move_hours"]
        previous_move = (
            ApplicationEvent.objects.filter(
                application_id=event.application_id,
                action__in=sorted(FORWARD_ACTIONS),
                seq__lt=event.seq,
            )
            .order_by("-seq")
            .values_list("seq", flat=True)
            .first()
        )
        oks = ApplicationEvent.objects.filter(
            application_id=event.application_id,
            action__in=(CHECK_UPDATED, DATA_CHECKED),
            data__to=CheckStatus.OK,
            seq__lt=event.seq,
            seq__gt=previous_move or 0,
        )
        hits = []
        for ok in oks.order_by("-seq")[:LOOKBACK_EVENTS]:
            waited = context.calendar.working_time_between(ok.created_at, event.created_at)
            if hours(waited) > window:
                continue
            hit = self._flip(ok, params, moved=event, waited=waited)
            if hit is not None:
                hits.append(hit)
        return hits

    def _flip(self, event, params, moved=None, waited=None) -> Hit | None:
        correction = datetime.timedelta(minutes=params["correction_minutes"])
        if event.action == DATA_CHECKED:
            reason, evidence = _data_wanting(event, correction)
        else:
            reason, evidence = _wanting(event, correction)
        if reason == CORRECTED:
            return None
        if reason is None and event.data.get("same_content"):
            # The counter saw content found wanting (documents outside the event log).
            reason, evidence = event.data.get("content") or SAME_HASH, ()
        if reason is None:
            return None
        detail = {"requirement": event.data.get("requirement"), "content": reason}
        if reason == UNCORRECTED_DATA:
            keys = event.data.get("uncorrected") or []
            app = Application.objects.select_related("form_version").get(pk=event.application_id)
            detail = {"fields": labels(app.form_spec, keys, "id"), "content": reason}
        if moved is not None:
            detail |= {"fast_move": True, "moved_after_hours": hours(waited)}
        return Hit(
            key=f"FLIP:{event.pk}",
            occurred_at=(moved or event).created_at,
            evidence=evidence + tuple(e.pk for e in (event, moved) if e is not None),
            application_id=event.application_id,
            officer_id=event.actor_id,
            detail=detail,
            severity=Severity.HIGH if moved is not None else None,
        )

    def explain(self, detail):
        requirement = detail.get("requirement")
        if detail.get("content") == UNCORRECTED_DATA:
            text = _(
                "Data permohonan dinyatakan benar padahal isian yang pernah dinyatakan salah "
                "belum diperbaiki: %(fields)s."
            ) % {"fields": ", ".join(detail.get("fields") or [])}
        elif detail.get("content") == SAME_HASH:
            text = _(
                "Persyaratan %(req)s dinyatakan sesuai atas dokumen yang sama persis dengan "
                "yang pernah dinyatakan kurang atau tidak sah."
            ) % {"req": requirement}
        elif detail.get("content") == SAME_TEXT:
            text = _(
                "Persyaratan %(req)s dinyatakan sesuai atas dokumen yang isinya sama dengan "
                "yang pernah dinyatakan kurang atau tidak sah, hanya disimpan ulang."
            ) % {"req": requirement}
        else:
            text = _("Persyaratan %(req)s dinyatakan sesuai tanpa dokumen baru.") % {
                "req": requirement
            }
        if detail.get("fast_move"):
            text += " " + _("Berkas lalu diteruskan dalam %(time)s kerja.") % {
                "time": hours_words(detail.get("moved_after_hours"))
            }
        return text
