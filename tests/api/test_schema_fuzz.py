"""Every operation fuzzed against the OpenAPI document (issue 21.7): schemathesis draws valid
and invalid requests from the document and checks each answer: never a 5xx, and its status,
content type, headers and body as the document states. On PostgreSQL, where the data is
strictest (a NUL byte, a too-long value)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from api.scopes import SCOPES
from portal.wsgi import application

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


# The document as the project serves it (its view reads no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=30
)


@pytest.fixture
def every_scope(bearer, catalogue):
    """A partner holding every scope, with a rate no fuzzing reaches: its bearer token.

    The WSGI handler closes the database connection after each request, and the test's
    transaction lives on that connection. Django's test client (which got the token) turns
    that off for its own requests only; these go through the WSGI app itself, so it is
    turned off here, after the token was had, until the test ends."""
    from django.core import signals
    from django.db import close_old_connections

    _partner, token = bearer(scopes=tuple(SCOPES), calls_per_minute=100_000)
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield token
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


# Where the input's rules go beyond what JSON Schema states, a request the document allows
# may rightly be refused (400): a NIK encodes a region and a birth date, a type's code and
# a requirement's come from the catalogue, a webhook's address must resolve to a public
# host. There, every other check still holds.
BEYOND_THE_SCHEMA = {"file_create", "file_document_upload", "webhooks_subscribe"}


@schema.parametrize()
# Derandomised: the same requests on every run, so CI's verdict does not depend on a draw.
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, derandomize=True
)
def test_no_request_breaks_an_operation_or_strays_from_the_document(case, every_scope):
    excluded = (
        [positive_data_acceptance] if case.operation.definition.raw.get("operationId")
        in BEYOND_THE_SCHEMA else []
    )  # fmt: skip
    case.call_and_validate(headers={"Authorization": every_scope}, excluded_checks=excluded)


def test_chained_calls_follow_the_documents_links_without_breaking(every_scope):
    """The stateful phase: a created file's or subscription's ``id`` (the document's
    links) fed to the operations that take it, in drawn sequences; the same checks."""

    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": every_scope}}

        def validate_response(self, response, case, **kwargs):
            excluded = [positive_data_acceptance]  # see BEYOND_THE_SCHEMA
            case.validate_response(response, excluded_checks=excluded)

    assert Workflow.bundles, "the document's links give the fuzzer nothing to chain"
    Workflow.run(
        settings=settings(
            max_examples=15,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
