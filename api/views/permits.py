"""Verifying a permit (issue 21.3, ``permits:verify``): what the public verification page
shows, for a system. The holder's and business's names are masked as on that page."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api.base import PartnerView
from api.scopes import PERMITS_VERIFY
from api.serializers import problems
from core.masking import mask_name
from issuance.forms import VerifyLookupForm
from issuance.models import PermitStatus
from issuance.selectors import permit_for_query


class PermitTypeRef(serializers.Serializer):
    code = serializers.CharField()
    name_id = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)


class VerificationOut(serializers.Serializer):
    number = serializers.CharField()
    code = serializers.CharField(help_text="The verification code printed with the QR code.")
    status = serializers.ChoiceField(choices=PermitStatus.choices)
    permit_type = PermitTypeRef()
    office = serializers.CharField(help_text="The technical office (OPD) that issued it.")
    holder = serializers.CharField(help_text="Masked as on the public verification page.")
    business = serializers.CharField(allow_blank=True)
    issued_at = serializers.DateTimeField(help_text="In the office's time zone.")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    pdf_sha256 = serializers.CharField(allow_blank=True)


# Something besides white space, as Python's ``str.strip`` (the form's) sees it (ECMAScript's
# ``\S`` alone would let U+0085 and U+001C–U+001F through), and no NUL, which no form takes.
NOT_BLANK = r"^[^\u0000]*[^\s\u0000\u001c-\u001f\u0085][^\u0000]*$"


class PermitVerifyView(PartnerView):
    scopes = {"GET": PERMITS_VERIFY}

    @extend_schema(
        operation_id="permit_verify",
        summary="Verify a permit by its verification code or its number",
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": 100, "pattern": NOT_BLANK},
                required=True,
                allow_blank=False,
                description="The verification code or the permit's number.",
            )
        ],
        responses={200: VerificationOut, **problems(400, 401, 403, 404, 429)},
    )
    def get(self, request):
        # The page's own form, so the page's own messages; the text as sent (not trimmed),
        # so its length is what the document states.
        form = VerifyLookupForm(data={"q": request.query_params.get("q", "")})
        form.fields["q"].strip = False
        if not form.is_valid():
            raise ValidationError(form.errors)
        query = form.cleaned_data["q"].strip()
        if not query:
            raise ValidationError({"q": [form.fields["q"].error_messages["required"]]})
        permit = permit_for_query(query)
        if permit is None:
            self.target = f"permit-query:{query[:60]}"
            raise NotFound()
        self.target = f"permit:{permit.number}"[:120]
        data = {
            "number": permit.number,
            "code": permit.code,
            "status": permit.status,
            "permit_type": {
                "code": permit.permit_type.code,
                "name_id": permit.permit_type.name_id,
                "name_en": permit.permit_type.name_en,
            },
            "office": permit.permit_type.opd.name_id,
            "holder": mask_name(permit.holder_name),
            "business": mask_name(permit.business_name) if permit.business_name else "",
            "issued_at": permit.issued_at,
            "valid_from": permit.valid_from,
            "valid_until": permit.valid_until,
            "revoked_at": permit.revoked_at,
            "pdf_sha256": permit.pdf_sha256,
        }
        return Response(VerificationOut(data).data)
