"""The satisfaction index (IKM) and the integrity index per unit and permit type, for a
month or a year (/kantor/indeks/). Supervisors, heads and administrators read aggregates
only, and not those of groups small enough to point at a respondent; the inspectorate also
sees small groups and how many answers reported money or intermediaries, with a link to
the SURVEY flags behind them."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.models import Role
from permits.views.backoffice import backoffice
from public.selectors.survey import ELEMENT_NAMES, index_overview, min_group
from public.survey_forms import PeriodForm

INDEX_ROLES = frozenset({Role.SUPERVISOR, Role.HEAD, Role.AUDITOR, Role.ADMIN})


def _flags_url(period, unit=None) -> str:
    """The audit queue on the SURVEY flags of the period (and unit), whatever their state."""
    query = {
        "rule": "SURVEY",
        "state": "",
        "since": period.start.date().isoformat(),
        "until": (period.end - datetime.timedelta(days=1)).date().isoformat(),
    }
    if unit is not None:
        query["opd"] = unit.pk
    return f"{reverse('audit:queue')}?{urlencode(query)}"


@require_safe
@backoffice(roles=INDEX_ROLES)
def overview(request):
    form = PeriodForm(request.GET or None)
    period = form.period()
    auditor = request.user.role == Role.AUDITOR
    units, total = index_overview(start=period.start, end=period.end, small_groups=auditor)
    if auditor:
        for unit in units:
            unit.flags_url = _flags_url(period, unit.subject)
    context = {
        "section": "indexes",
        "form": form,
        "period": period,
        "units": units,
        "total": total,
        "auditor": auditor,
        "flags_url": _flags_url(period) if auditor else "",
        "element_names": [(f"U{i}", name) for i, name in enumerate(ELEMENT_NAMES, start=1)],
        "small_group": min_group(),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "public/indexes/overview.html", context, status=status)
