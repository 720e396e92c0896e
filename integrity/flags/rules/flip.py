"""FLIP: content found wanting was passed as complete, and the file then moved on.

"Incomplete, then suddenly complete": a requirement found missing or invalid turned "ok"
on content already found wanting. The rule reads the content, not only the verdicts:

- ``same_hash``: the latest document at the "ok" has the same SHA-256 as a version that
  was the latest at a "missing" or "invalid" verdict on that requirement (a re-upload of
  the returned bytes is not a fix, however new its version number);
- ``no_new_document``: the verdict turned from missing or invalid to "ok" and nothing was
  uploaded for that requirement since it was found wanting.

The counter asks for a written reason in both cases and marks the ``check.updated`` event
(``same_content``, ``content``: ``permits.services.checks``); the rule recomputes the same
from the document versions and the verdict events as of the "ok", so history written
before that mark is judged alike. An "ok" given again on a verdict that already stood (a
note changed) is not a new flip.

Severity medium; high when the file then moved onwards (declared complete, reviewed,
approved, signed) within ``fast_move_hours`` of working time (default 7, about one service
day) after the "ok": a file that should have waited for the applicant was pushed through.
Evidence: the verdict that found it wanting, the upload of the same bytes (if any), the
"ok", and the fast move.

Expected false flags: an original shown at the counter (the officer's note says so) that
the file then needed at once; measured on the service-driven generator (issue 17).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from integrity.flags.registry import Hit, Rule, register
from integrity.flags.rules.common import BAD_CHECKS, FORWARD_ACTIONS, hours
from integrity.models import Severity
from integrity.wording import hours_words
from permits.models import ApplicationEvent, CheckStatus, Document

SAME_HASH = "same_hash"
NO_NEW_DOCUMENT = "no_new_document"
# How far back a move looks for the "ok" it follows (a bound on the lookup, not a rule).
LOOKBACK_EVENTS = 50


def _is_ok(event) -> bool:
    data = event.data if isinstance(event.data, dict) else {}
    return event.action == "check.updated" and data.get("to") == CheckStatus.OK


def _wanting(event) -> tuple[str | None, tuple[int, ...]]:
    """Whether this "ok" judged content found wanting, as of the event: the reason and the
    evidence (the verdict that found it wanting, the upload of the same bytes)."""
    data = event.data
    requirement, before = data.get("requirement"), data.get("from")
    verdicts = list(
        ApplicationEvent.objects.filter(
            application_id=event.application_id,
            action="check.updated",
            data__requirement=requirement,
            created_at__lte=event.created_at,
        )
        .exclude(pk=event.pk)
        .order_by("created_at", "id")
    )
    bad = [v for v in verdicts if v.data.get("to") in BAD_CHECKS]
    if not bad:
        return None, ()
    versions = list(
        Document.objects.filter(
            application_id=event.application_id,
            requirement__code=requirement,
            uploaded_at__lte=event.created_at,
        )
        .order_by("version")
        .only("version", "sha256", "uploaded_at")
    )
    latest = versions[-1] if versions else None
    if before == CheckStatus.OK:
        # "ok" again: only a new judgement when a document came since the last verdict.
        last = verdicts[-1]
        if latest is None or latest.uploaded_at <= last.created_at:
            return None, ()
    found = bad[-1]
    if before in BAD_CHECKS and (latest is None or latest.uploaded_at <= found.created_at):
        return NO_NEW_DOCUMENT, (found.pk,)
    digests = {}
    for verdict in bad:
        seen = [v for v in versions if v.uploaded_at <= verdict.created_at]
        if seen:
            digests.setdefault(seen[-1].sha256, verdict)
    if latest is None or latest.sha256 not in digests:
        return None, ()
    upload = (
        ApplicationEvent.objects.filter(
            application_id=event.application_id,
            action="document.uploaded",
            data__requirement=requirement,
            data__version=latest.version,
        )
        .values_list("pk", flat=True)
        .first()
    )
    evidence = (digests[latest.sha256].pk,) + ((upload,) if upload else ())
    return SAME_HASH, evidence


@register
class Flip(Rule):
    code = "FLIP"
    title = _("Persyaratan tiba-tiba dinyatakan lengkap")
    description = _(
        "Persyaratan yang kurang atau tidak sah dinyatakan sesuai atas isi yang sama "
        "(dokumen identik dengan yang ditolak, atau tanpa dokumen baru); lebih berat bila "
        "berkas lalu cepat diteruskan."
    )
    severity = Severity.MEDIUM
    params = {"fast_move_hours": 7}
    triggers = frozenset({"check.updated"} | FORWARD_ACTIONS)

    def on_event(self, event, params, context):
        if event.action == "check.updated":
            hit = self._flip(event) if _is_ok(event) else None
            return [hit] if hit else []
        # A move onwards: the "ok"s it is the first move after, if it came fast enough.
        window = params["fast_move_hours"]
        previous_move = (
            ApplicationEvent.objects.filter(
                application_id=event.application_id,
                action__in=sorted(FORWARD_ACTIONS),
                created_at__lte=event.created_at,
            )
            .exclude(pk=event.pk)
            .order_by("-created_at", "-id")
            .values_list("created_at", flat=True)
            .first()
        )
        oks = ApplicationEvent.objects.filter(
            application_id=event.application_id,
            action="check.updated",
            data__to=CheckStatus.OK,
            created_at__lte=event.created_at,
        )
        if previous_move is not None:
            oks = oks.filter(created_at__gt=previous_move)
        hits = []
        for ok in oks.order_by("-created_at", "-id")[:LOOKBACK_EVENTS]:
            waited = context.calendar.working_time_between(ok.created_at, event.created_at)
            if hours(waited) > window:
                continue
            hit = self._flip(ok, moved=event, waited=waited)
            if hit is not None:
                hits.append(hit)
        return hits

    def _flip(self, event, moved=None, waited=None) -> Hit | None:
        reason, evidence = _wanting(event)
        if reason is None:
            return None
        detail = {"requirement": event.data.get("requirement"), "content": reason}
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
        if detail.get("content") == SAME_HASH:
            text = _(
                "Persyaratan %(req)s dinyatakan sesuai atas dokumen yang sama persis dengan "
                "yang pernah dinyatakan kurang atau tidak sah."
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
