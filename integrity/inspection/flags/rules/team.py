"""TEAM: the same two officers keep visiting the same applicant's sites (issue 22.2).

A site visit's team is drawn so that the same pair does not keep visiting the same
applicant: the companion who went with the lead to this applicant (same NIK) least often
in the past year goes first (``permits.services.site_visits.visit_team_draw``). So a pair
that visits one applicant again and again while the unit had other officers who could
have gone is not the draw's doing: a colleague kept off the list (on leave for the day of
the draw, on paper), a file handed to the lead so that the usual companion comes along.

When a visit's team is drawn (``site_visit.proposed``, the first proposal), for each pair
of its officers: count this applicant's visits (not cancelled) in the last
``window_days`` (default 365) on which both went, this one included (k). A flag is raised
when k >= ``min_visits`` (default 3) and the type's unit had, at the draw, more active
technical officers than the team has (someone else could have gone). One flag per pair and
applicant; later visits add evidence. Evidence: the proposals of those visits.

Expected false flags: none from the draw itself, which never repeats a pair while another
officer may go; a unit of exactly two officers repeats its pair by necessity and is not
judged (nor is a third officer who may not take the file: the conflict register and the
applicant's own staff keep them off, and the rule does not see that, so such a unit can
raise a flag the auditor dismisses with that reason). Not measured on bench/history.py,
whose office does not schedule visits yet.
"""

from __future__ import annotations

import datetime
from itertools import combinations

from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from integrity.inspection.flags.registry import Hit, Rule
from integrity.inspection.models import Severity
from permits.event_names import SITE_VISIT_PROPOSED
from permits.models import ApplicationEvent, SiteVisitMember, VisitStatus


class Team(Rule):
    code = "TEAM"
    title = _("Pasangan petugas yang sama berulang kali meninjau pemohon yang sama")
    description = _(
        "Dua petugas yang sama meninjau lokasi pemohon yang sama berkali-kali, padahal unitnya "
        "mempunyai petugas lain yang dapat ikut, sedangkan tim peninjauan diundi agar "
        "pasangan yang sama tidak terus meninjau pemohon yang sama."
    )
    severity = Severity.MEDIUM
    params = {"window_days": 365, "min_visits": 3}
    triggers = frozenset({SITE_VISIT_PROPOSED})

    def on_event(self, event, params, context):
        data = event.data if isinstance(event.data, dict) else {}
        team = [pk for pk in data.get("team", []) if pk]
        app = event.application
        if len(team) < 2 or not app.applicant_nik:
            return []
        if (
            ApplicationEvent.objects.filter(
                application_id=app.pk, action=SITE_VISIT_PROPOSED, pk__lt=event.pk
            )
            .filter(data__visit=data.get("visit"))
            .exists()
        ):
            return []  # the same visit proposed again: its team was judged when drawn
        unit = app.permit_type.opd_id
        officers = User.objects.filter(is_active=True, role=Role.TECHNICAL, unit_id=unit).count()
        if officers <= len(team):
            return []  # nobody else could have gone
        since = event.created_at - datetime.timedelta(days=params["window_days"])
        seats = (
            SiteVisitMember.objects.filter(
                visit__application__applicant_nik=app.applicant_nik,
                visit__proposed_at__gte=since,
                visit__proposed_at__lte=event.created_at,
                officer_id__in=team,
            )
            .exclude(visit__status=VisitStatus.CANCELLED)
            .values_list("visit_id", "officer_id")
        )
        visits_of: dict[int, set[int]] = {}
        for visit_id, officer_id in seats:
            visits_of.setdefault(officer_id, set()).add(visit_id)
        hits = []
        for first, second in combinations(sorted(team), 2):
            shared = visits_of.get(first, set()) & visits_of.get(second, set())
            if len(shared) < params["min_visits"]:
                continue
            proposals = (
                ApplicationEvent.objects.filter(action=SITE_VISIT_PROPOSED)
                .filter(data__visit__in=sorted(shared))
                .order_by("created_at", "id")
            )
            evidence = {}
            for pk, visit in proposals.values_list("pk", "data__visit"):
                evidence.setdefault(visit, pk)  # each visit's first proposal: its draw
            hits.append(
                Hit(
                    key=f"TEAM:{first}:{second}:{app.applicant_nik}",
                    occurred_at=event.created_at,
                    evidence=tuple(sorted(evidence.values())),
                    application_id=app.pk,
                    officer_id=event.actor_id,
                    detail={
                        "officers": [first, second],
                        "visits": len(shared),
                        "unit_officers": officers,
                        "window_days": params["window_days"],
                    },
                )
            )
        return hits

    def explain(self, detail):
        return _(
            "Pasangan yang sama meninjau pemohon ini %(n)s kali dalam %(days)s hari, padahal "
            "unitnya mempunyai %(officers)s petugas teknis."
        ) % {
            "n": detail.get("visits"),
            "days": detail.get("window_days"),
            "officers": detail.get("unit_officers"),
        }
