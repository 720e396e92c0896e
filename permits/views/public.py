from django.shortcuts import render
from django.views.decorators.http import require_GET

from permits.selectors import catalogue_search, catalogue_size, service_standard, service_steps
from worktime.calendar import get_calendar
from worktime.models import Weekday


@require_GET
def home(request):
    """The public catalogue: every permit type grouped by OPD, with its SOP and fee."""
    query = request.GET.get("q", "").strip()[:100]
    groups = catalogue_search(query=query)
    context = {
        "groups": groups,
        "query": query,
        "match_count": sum(len(group.permit_types) for group in groups),
    }
    if not request.htmx:
        context["catalogue_size"] = catalogue_size()
    template = "permits/_catalogue.html" if request.htmx else "permits/home.html"
    return render(request, template, context)


@require_GET
def service_page(request, code: str):
    """The service standard (standar pelayanan) of one permit type."""
    permit_type = service_standard(code)
    hours = get_calendar().hours
    context = {
        "permit": permit_type,
        "requirements": permit_type.active_requirements,
        "steps": service_steps(permit_type),
        "service_hours": [
            (Weekday(day).label, opens, closes) for day, (opens, closes) in sorted(hours.items())
        ],
    }
    return render(request, "permits/service.html", context)
