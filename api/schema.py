"""The OpenAPI document's security: each operation names the one scope it needs."""

from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme


class PartnerScheme(DjangoOAuthToolkitScheme):
    priority = 1  # before drf-spectacular's own, which knows only DOT's permission classes

    def get_security_requirement(self, auto_schema):
        scope = getattr(auto_schema.view, "scopes", {}).get(auto_schema.method)
        return {self.name: [scope]} if scope else None
