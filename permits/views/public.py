from django.shortcuts import render
from django.views.decorators.http import require_GET

from permits.selectors import catalogue_search, catalogue_size


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
