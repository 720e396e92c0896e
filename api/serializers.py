"""The shapes of the API's answers: what the OpenAPI document states and what the
operations return (both from here, so they cannot drift)."""

from __future__ import annotations

from rest_framework import serializers

from permits.models.catalogue import SopUnit


class RequirementOut(serializers.Serializer):
    code = serializers.CharField()
    name_id = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    mandatory = serializers.BooleanField()
    formats = serializers.ListField(child=serializers.CharField())
    max_size_kb = serializers.IntegerField()


class OfficeOut(serializers.Serializer):
    code = serializers.CharField()
    name_id = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)


class PermitTypeOut(serializers.Serializer):
    code = serializers.CharField()
    name_id = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    office = OfficeOut()
    sop_duration = serializers.IntegerField(help_text="The promised finishing time.")
    sop_unit = serializers.ChoiceField(choices=SopUnit.choices)
    check_duration_days = serializers.IntegerField(
        help_text="Working days the counter has to check a submitted file for completeness."
    )
    fee = serializers.IntegerField(help_text="The levy (retribusi) in rupiah; 0 when free.")
    validity_months = serializers.IntegerField(allow_null=True)
    legal_basis = serializers.CharField()
    requirements = RequirementOut(many=True)


class CatalogueOut(serializers.Serializer):
    types = PermitTypeOut(many=True)


class ProblemOut(serializers.Serializer):
    """RFC 9457 problem details (``application/problem+json``)."""

    type = serializers.URLField()
    title = serializers.CharField(help_text="Indonesian, or English by Accept-Language.")
    status = serializers.IntegerField()
    detail = serializers.CharField(required=False)
    instance = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per field, the messages the pages show for the same input.",
    )


def problems(*statuses: int) -> dict:
    """The problem answers an operation can give, for its OpenAPI responses."""
    return {(code, "application/problem+json"): ProblemOut for code in statuses}


def permit_type_data(permit_type) -> dict:
    return {
        "code": permit_type.code,
        "name_id": permit_type.name_id,
        "name_en": permit_type.name_en,
        "office": {
            "code": permit_type.opd.code,
            "name_id": permit_type.opd.name_id,
            "name_en": permit_type.opd.name_en,
        },
        "sop_duration": permit_type.sop_duration,
        "sop_unit": permit_type.sop_unit,
        "check_duration_days": permit_type.check_duration,
        "fee": permit_type.fee,
        "validity_months": permit_type.validity_months,
        "legal_basis": permit_type.legal_basis,
        "requirements": [
            {
                "code": r.code,
                "name_id": r.name_id,
                "name_en": r.name_en,
                "mandatory": r.mandatory,
                "formats": list(r.formats),
                "max_size_kb": r.max_size_kb,
            }
            for r in permit_type.active_requirements
        ],
    }
