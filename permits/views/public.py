from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from permits.selectors.catalogue import catalogue_search, catalogue_size, catalogue_version
from permits.selectors.service import counter_contact, service_standard, service_steps

# The whole catalogue as rendered HTML, per language, for the catalogue's current version
# only: the same for every visitor, and four fifths of the home page's time (issue 20.6).
_rendered: dict[tuple[str, str], str] = {}


def whole_catalogue(request) -> str:
    """The catalogue list without a query, rendered once per language and catalogue
    version in this process (a change anywhere bumps the version: core.cache)."""
    key = (get_language(), catalogue_version())
    html = _rendered.get(key)
    if html is None:
        found = catalogue_search(query="")
        html = render_to_string(
            "permits/_catalogue.html", {"groups": found.groups, "query": ""}, request=request
        )
        for old in [k for k in _rendered if k[1] != key[1]]:
            del _rendered[old]
        _rendered[key] = html
    return html


@require_safe
def home(request):
    """The public catalogue: every permit type grouped by OPD, with its SOP and fee; with a
    query, the matching types best first, or the closest ones and the counter's contact."""
    query = request.GET.get("q", "").strip()[:100]
    if not query:
        html = whole_catalogue(request)
        if request.htmx:
            return HttpResponse(html)
        # Our own template's output, escaped when it was rendered.
        catalogue = mark_safe(html)  # noqa: S308
        context = {"catalogue_html": catalogue, "catalogue_size": catalogue_size()}
        return render(request, "permits/home.html", context)
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
