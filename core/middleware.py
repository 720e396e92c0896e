from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    """Indonesian unless the visitor chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a public
    service portal speaks the national language first and switches only when asked.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override, not activate: the thread's language is restored after the response, so
        # nothing run later on this thread (a task in process, a test) inherits a visitor's.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


def permissions_allow(response, feature: str):
    """Let this one response use ``feature`` on the site's own pages (``geolocation``: the
    site visit's photo form reads where the phone is), every other refusal kept."""
    policy = response.get("Permissions-Policy") or settings.PERMISSIONS_POLICY
    response["Permissions-Policy"] = policy.replace(f"{feature}=()", f"{feature}=(self)")
    return response


class PermissionsPolicyMiddleware:
    """Send ``settings.PERMISSIONS_POLICY`` on every response (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


# The one style attribute django-simple-history's admin page writes (its history list's
# ``<p class="paginator" style="border-top: 0">``), allowed by its hash and nowhere else.
ADMIN_HISTORY_STYLE = {
    "style-src-attr": ["'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"]
}

# The API's docs page (Swagger UI from drf-spectacular-sidecar, served from /static/) sets
# style attributes as it draws and draws its icons as data: SVG. It shows the OpenAPI
# document, nothing a visitor wrote; its scripts stay files under /static/ ('self').
# Its one style element is allowed by its hash (tests/e2e/test_api_docs.py sees no refusal).
API_DOCS = {
    "style-src-attr": ["'unsafe-inline'"],
    "style-src-elem": ["'self'", "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"],
    "img-src": ["'self'", "data:"],
}


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware with two narrow exceptions: the admin's history pages may apply
    that one style attribute (by hash, 'unsafe-hashes'), and the API's docs page may apply
    style attributes and show data: images; every other inline style or script stays
    refused there, and every other page keeps the policy of ``settings``."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        if match and match.namespace == "admin" and (match.url_name or "").endswith("_history"):
            parts.update = {**(parts.update or {}), **ADMIN_HISTORY_STYLE}
        if match and match.namespace == "api" and match.url_name == "docs":
            parts.update = {**(parts.update or {}), **API_DOCS}
        return parts
