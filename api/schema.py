"""The OpenAPI document's security: each operation names the one scope it needs."""

from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme


class PartnerScheme(DjangoOAuthToolkitScheme):
    priority = 1  # before drf-spectacular's own, which knows only DOT's permission classes

    def get_security_requirement(self, auto_schema):
        scope = getattr(auto_schema.view, "scopes", {}).get(auto_schema.method)
        return {self.name: [scope]} if scope else None


# The operations a created resource leads to, by their path parameter: OpenAPI links, so a
# client (and the fuzzer's stateful phase) knows the ``id`` in a 201 names the file or the
# subscription the others take.
LINKS = {
    ("file_create", "201"): [
        "file_read",
        "file_document_upload",
        "file_submit",
        "file_resubmit",
        "file_permit",
        "file_permit_pdf",
    ],
    ("webhooks_subscribe", "201"): ["webhook_read", "webhook_deliveries", "webhook_end"],
}


def operation_links(result, generator, request, public):
    """drf-spectacular postprocessing hook: the ``links`` of ``LINKS``."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for (operation_id, status), targets in LINKS.items():
                if operation.get("operationId") != operation_id:
                    continue
                response = operation["responses"][status]
                response["links"] = {
                    target: {
                        "operationId": target,
                        "parameters": {"public_id": "$response.body#/id"},
                    }
                    for target in targets
                }
    return result
