"""The catalogue for partners (issue 21.3): every active permit type with its requirements,
SOP and fee, as the public service pages show them. Answers carry an ``ETag`` (the SHA-256
of the body): a partner that sends it back in ``If-None-Match`` gets ``304 Not Modified``
until the catalogue changes."""

from __future__ import annotations

import hashlib
import json

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound

from api.base import PartnerView
from api.scopes import CATALOGUE_READ
from api.serializers import CatalogueOut, PermitTypeOut, permit_type_data, problems
from core.shell import KeptRenders
from permits.selectors.catalogue import catalogue_version
from permits.selectors.service import offered_types

_kept = KeptRenders(256)  # bodies and their ETags, per key and catalogue version


def _body(key: str) -> tuple[bytes, str] | None:
    """The JSON body and its ETag for the whole catalogue (``key`` "") or one type's code,
    kept per catalogue version; None for a code that is not an active type."""
    version = catalogue_version()
    kept = _kept.get((key, version))
    if kept is None:
        if key:
            permit_type = offered_types().filter(code=key).first()
            if permit_type is None:
                return None
            data = permit_type_data(permit_type)
        else:
            data = {"types": [permit_type_data(t) for t in offered_types().order_by("code")]}
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        kept = _kept.keep((key, version), (body, f'"{hashlib.sha256(body).hexdigest()}"'))
    return kept


def _answer(request, kept: tuple[bytes, str]) -> HttpResponse:
    body, etag = kept
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


ETAG = OpenApiParameter(
    "If-None-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag of an earlier answer: 304 while the catalogue is unchanged.",
)
NOT_MODIFIED = OpenApiResponse(description="Unchanged since the ETag sent.")


class CatalogueView(PartnerView):
    scopes = {"GET": CATALOGUE_READ}

    @extend_schema(
        operation_id="catalogue_list",
        summary="Every active permit type with its requirements, SOP and fee",
        parameters=[ETAG],
        responses={200: CatalogueOut, 304: NOT_MODIFIED, **problems(401, 403, 429)},
    )
    def get(self, request):
        self.target = "catalogue"
        return _answer(request, _body(""))


class PermitTypeView(PartnerView):
    scopes = {"GET": CATALOGUE_READ}

    @extend_schema(
        operation_id="catalogue_type",
        summary="One active permit type",
        parameters=[ETAG],
        responses={200: PermitTypeOut, 304: NOT_MODIFIED, **problems(401, 403, 404, 429)},
    )
    def get(self, request, code: str):
        self.target = f"type:{code[:60]}"
        kept = _body(code)
        if kept is None:
            raise NotFound()
        return _answer(request, kept)
