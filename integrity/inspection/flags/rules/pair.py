"""PAIR: one officer handles one applicant, or one representative (a calo), far more often
than random assignment would give.

For the applicant's (or representative's) files of the last ``window_days`` (default 365)
handled by officers of the acting officer's role and unit (n files), count those this
officer handled (k). Assignment spreads files by load, so each file reaches this officer
with probability p = this officer's share of the files their role and unit handled in
the window (``integrity.inspection.flags.baselines.officer_shares``). Under that model k follows a
binomial distribution B(n, p); a flag is raised when P(X >= k) < ``alpha`` (default 0.001)
and k >= ``min_count`` (default 4). One flag per officer and person; later files add
evidence. Evidence: the officer's acts on those files.

Expected false flags (bench/history.py, 480 files over four months, about 120 a month,
seeds 1 and 2): none; every biro jasa found (at 120 files, one of three is missed on seed 2).

A file can also be steered: handed to the officer by someone else's reassignment (a
supervisor "on the applicant's request") instead of the automatic assignment. When s of
the k files were handed so, the two kinds of evidence are judged apart and combined: the
k - s files the officer got by assignment, out of the n - s not handed by hand, against
B(n - s, p); the s hand-overs out of n against B(n, q), q being the share of the role and
unit's files handed to this officer by reassignment in the window
(``baselines.officer_steered``). Fisher's method joins the two tail chances P1 and P2 into
one, P1·P2·(1 - ln(P1·P2)) (a chi-squared tail with four degrees of freedom), held to the
same ``alpha``: an officer rarely handed files by hand who is handed the same person's
files again and again is no chance, even with a large share of the automatic assignment.
Evidence then: the reassignments and the officer's acts.
"""

import datetime
import math

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from integrity.inspection.flags.baselines import binomial_tail, officer_shares, officer_steered
from integrity.inspection.flags.registry import Hit, Rule
from integrity.inspection.flags.rules.common import HANDLING_ACTIONS, STAFF_ACTOR_ROLES
from integrity.inspection.models import Severity
from permits.event_names import APPLICATION_REASSIGNED
from permits.models import Application, ApplicationEvent

PEOPLE = (("applicant", "applicant_nik"), ("representative", "representative_nik"))


class Pair(Rule):
    code = "PAIR"
    title = _("Petugas berulang kali melayani pemohon yang sama")
    description = _(
        "Seorang petugas menangani berkas pemohon atau kuasa yang sama jauh lebih sering "
        "daripada yang diberikan pembagian berkas secara acak (uji binomial)."
    )
    severity = Severity.HIGH
    params = {"window_days": 365, "min_count": 4, "alpha": 0.001}
    triggers = HANDLING_ACTIONS

    def on_event(self, event, params, context):
        if event.actor_role not in STAFF_ACTOR_ROLES or event.actor_id is None:
            return []
        app = event.application
        officer = self._officer(event.actor_id, context)
        memo_key = ("share", officer.role, officer.unit_id)
        if memo_key not in context.memo:
            context.memo[memo_key] = officer_shares(
                officer.role, officer.unit_id, params["window_days"]
            )
        shares = context.memo[memo_key]
        total = sum(shares.values())
        if not total:
            return []
        p = shares.get(str(officer.pk), 0) / total
        since = event.created_at - datetime.timedelta(days=params["window_days"])
        hits = []
        for kind, field in PEOPLE:
            nik = getattr(app, field)
            if not nik:
                continue
            files = Application.objects.filter(**{field: nik}, submitted_at__gte=since).values("pk")
            acts = ApplicationEvent.objects.filter(
                application_id__in=files,
                action__in=sorted(HANDLING_ACTIONS),
                created_at__lte=event.created_at,
                actor_role=officer.role,
            ).filter(Q(actor__unit_id=officer.unit_id))
            by_file: dict[int, list[tuple[int, int]]] = {}
            for pk, application_id, actor_id in acts.order_by("created_at", "id").values_list(
                "pk", "application_id", "actor_id"
            ):
                by_file.setdefault(application_id, []).append((pk, actor_id))
            n = len(by_file)
            mine = [
                next(pk for pk, actor in events if actor == officer.pk)
                for events in by_file.values()
                if any(actor == officer.pk for _pk, actor in events)
            ]
            k = len(mine)
            if k < params["min_count"]:
                continue
            steered, steer_share = self._steered(officer, by_file, event, params, total, context)
            s = len(steered)
            chance = binomial_tail(k - s, n - s, p)
            if s:
                joint = chance * binomial_tail(s, n, steer_share)
                chance = joint * (1 - math.log(joint)) if joint > 0 else 0.0
            if chance >= params["alpha"]:
                continue
            mine = tuple(sorted(set(mine) | set(steered)))
            hits.append(
                Hit(
                    key=f"PAIR:{officer.pk}:{kind}:{nik}",
                    occurred_at=event.created_at,
                    evidence=tuple(mine),
                    application_id=app.pk,
                    officer_id=officer.pk,
                    detail={
                        "person": kind,
                        "files": n,
                        "handled": k,
                        "share": round(p, 4),
                        "p_value": float(f"{chance:.3g}"),
                        "steered": len(steered),
                        "steer_share": round(steer_share, 4),
                    },
                )
            )
        return hits

    def _steered(self, officer, by_file, event, params, total, context):
        """The reassignments that handed these files to ``officer`` (by someone else, up to
        this event), and the share of the unit's files handed to them so."""
        memo_key = ("steer", officer.role, officer.unit_id)
        if memo_key not in context.memo:
            context.memo[memo_key] = officer_steered(
                officer.role, officer.unit_id, params["window_days"]
            )
        share = context.memo[memo_key].get(str(officer.pk), 0) / total
        handed = {}
        rows = (
            ApplicationEvent.objects.filter(
                application_id__in=list(by_file),
                action=APPLICATION_REASSIGNED,
                created_at__lte=event.created_at,
            )
            .exclude(actor_id=officer.pk)
            .order_by("created_at", "id")
            .values_list("pk", "application_id", "data")
        )
        for pk, application_id, data in rows:
            if (data or {}).get("to") == officer.pk:
                handed.setdefault(application_id, pk)
        return tuple(handed.values()), share

    def _officer(self, pk: int, context) -> User:
        key = ("officer", pk)
        if key not in context.memo:
            context.memo[key] = User.objects.only("pk", "role", "unit_id").get(pk=pk)
        return context.memo[key]

    def explain(self, detail):
        return _("Menangani %(k)s dari %(n)s berkas orang yang sama; peluang acak %(p)s.") % {
            "k": detail.get("handled"),
            "n": detail.get("files"),
            "p": detail.get("p_value"),
        }
