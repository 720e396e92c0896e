"""PAIR: one officer handles one applicant, or one representative (a calo), far more often
than random assignment would give.

For the applicant's (or representative's) files of the last ``window_days`` (default 365)
handled by officers of the acting officer's role and unit (n files), count those this
officer handled (k). Assignment spreads files by load, so each file reaches this officer
with probability p = this officer's share of the files their role and unit handled in
the window (``integrity.flags.baselines.officer_shares``). Under that model k follows a
binomial distribution B(n, p); a flag is raised when P(X >= k) < ``alpha`` (default 0.001)
and k >= ``min_count`` (default 4). One flag per officer and person; later files add
evidence. Evidence: the officer's acts on those files.
"""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from integrity.flags.baselines import binomial_tail, officer_shares
from integrity.flags.registry import Hit, Rule, register
from integrity.flags.rules.common import HANDLING_ACTIONS, STAFF_ACTOR_ROLES
from integrity.models import Severity
from permits.models import Application, ApplicationEvent

PEOPLE = (("applicant", "applicant_nik"), ("representative", "representative_nik"))


@register
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
            chance = binomial_tail(k, n, p)
            if chance >= params["alpha"]:
                continue
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
                    },
                )
            )
        return hits

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
