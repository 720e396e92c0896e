from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from core.shell import KeptRenders, slots_fill, slots_new, slots_split
from permits.selectors.catalogue import catalogue_search, catalogue_size, catalogue_version
from permits.selectors.service import counter_contact, service_standard, service_steps
from worktime.calendar import calendar_version

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


# Service pages as rendered HTML (issue 20.6), the most recent 256 (81 types in two
# languages fit); the CSRF token of the "apply" form is a slot filled per visitor.
_services_rendered = KeptRenders(256)


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
    """The service standard (standar pelayanan) of one permit type, rendered once per
    language, catalogue version and calendar version (the counter's hours) in this process;
    each visitor's own CSRF token goes into the kept render's slot."""
    key = (get_language(), get_script_prefix(), code, catalogue_version(), calendar_version())
    kept = _services_rendered.get(key)
    if kept is None:
        permit_type = service_standard(code)  # 404 for a type that is not offered
        slots = slots_new("csrf")
        context = {
            "permit": permit_type,
            "requirements": permit_type.active_requirements,
            "steps": service_steps(permit_type),
            "service_hours": counter_contact().hours,
            "csrf_token": slots["csrf"],
        }
        html = render_to_string("permits/_service.html", context)
        kept = _services_rendered.keep(key, (permit_type.name, slots_split(html, slots)))
    title, parts = kept
    # Our own template's output, escaped as it was rendered; the token is letters and digits.
    content = mark_safe(slots_fill(parts, {"csrf": get_token(request)}))  # noqa: S308
    return render(request, "permits/service.html", {"title": title, "content": content})
