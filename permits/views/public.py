from django.shortcuts import render
from django.views.decorators.http import require_safe

from permits.selectors.catalogue import catalogue_search, catalogue_size
from permits.selectors.service import counter_contact, service_standard, service_steps


@require_safe
def home(request):
    """The public catalogue: every permit type grouped by OPD, with its SOP and fee; with a
    query, the matching types best first, or the closest ones and the counter's contact."""
    query = request.GET.get("q", "").strip()[:100]
    found = catalogue_search(query=query)
    context = {
        "groups": found.groups,
        "results": found.results,
        "closest": found.closest,
        "notes": found.notes,
        "query": query,
        "match_count": len(found.results),
    }
    if query and not found.results:
        context["contact"] = counter_contact()
    if not request.htmx:
        context["catalogue_size"] = catalogue_size()
    template = "permits/_catalogue.html" if request.htmx else "permits/home.html"
    return render(request, template, context)


@require_safe
def service_page(request, code: str):
    """The service standard (standar pelayanan) of one permit type."""
    permit_type = service_standard(code)
    context = {
        "permit": permit_type,
        "requirements": permit_type.active_requirements,
        "steps": service_steps(permit_type),
        "service_hours": counter_contact().hours,
    }
    return render(request, "permits/service.html", context)
