"""A file's status for partners (issue 21.3, ``applications:read``): its stage, the SOP
clock and deadline, the findings the applicant must fix and the public timeline, the same
facts as the public tracking page (``permits.selectors.tracking``), masked the same way.

A partner reads the files it created; the service bus (``Partner.reads_all_files``) every
file. Any other file is "not found", so a registration number's existence is not told."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.base import PartnerView
from api.models import PartnerFile
from api.permissions import partner_of
from api.scopes import APPLICATIONS_READ
from api.serializers import problems
from permits.models import Stage
from permits.models.stages import FINAL_STAGES
from permits.selectors.tracking import tracking_by_number
from permits.sla import ClockState


class ClockOut(serializers.Serializer):
    state = serializers.ChoiceField(choices=ClockState.choices)
    deadline = serializers.DateTimeField(allow_null=True, help_text="Office time, with offset.")
    working_days_left = serializers.IntegerField(
        allow_null=True, help_text="Negative: late by that many working days."
    )
    paused_because = serializers.CharField(allow_blank=True)


class FindingOut(serializers.Serializer):
    requirement = serializers.CharField()
    verdict = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class StepOut(serializers.Serializer):
    at = serializers.DateTimeField()
    label = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class AgencyWaitOut(serializers.Serializer):
    agency = serializers.CharField()
    answered = serializers.BooleanField()
    late = serializers.BooleanField()
    working_days_late = serializers.IntegerField()


# The statuses a visit shows while the file is in inspection (its own enum in the schema).
SITE_VISIT_STATUSES = ["proposed", "move_asked", "confirmed", "reported"]


class SiteVisitOut(serializers.Serializer):
    at = serializers.DateTimeField(help_text="The appointment, office time with offset.")
    status = serializers.ChoiceField(
        choices=SITE_VISIT_STATUSES,
        help_text="proposed: waiting for the applicant; move_asked: the applicant asked for "
        "another time (wished_at); confirmed: agreed; reported: visited, its report "
        "waiting for signatures.",
    )
    wished_at = serializers.DateTimeField(allow_null=True)


class ApplicationStatusOut(serializers.Serializer):
    registration_number = serializers.CharField()
    permit_type = serializers.CharField()
    stage = serializers.ChoiceField(choices=Stage.choices)
    stage_label = serializers.CharField()
    finished = serializers.BooleanField()
    explanation = serializers.CharField()
    applicant = serializers.CharField(help_text="Masked as on the tracking page.")
    sop = ClockOut()
    findings = FindingOut(many=True)
    timeline = StepOut(many=True)
    recommendations = AgencyWaitOut(
        many=True,
        help_text="In technical review: the agencies asked for their recommendation (not "
        "their verdicts), as on the tracking page.",
    )
    site_visit = SiteVisitOut(
        allow_null=True,
        help_text="In site inspection: the visit's appointment, as on the tracking page.",
    )


class ApplicationStatusView(PartnerView):
    scopes = {"GET": APPLICATIONS_READ}

    @extend_schema(
        operation_id="application_status",
        summary="A file's stage, SOP deadline, findings to fix and public timeline",
        responses={200: ApplicationStatusOut, **problems(401, 403, 404, 429)},
    )
    def get(self, request, number: str):
        self.target = f"application:{number[:60]}"
        partner = partner_of(request)
        tracking = tracking_by_number(number)
        if tracking is None:
            raise NotFound()
        app, status = tracking.app, tracking.status
        if (
            not partner.reads_all_files
            and not PartnerFile.objects.filter(partner=partner, application_id=app.pk).exists()
        ):
            raise NotFound()
        data = {
            "registration_number": app.registration_number,
            "permit_type": app.permit_type.code,
            "stage": app.state,
            "stage_label": str(Stage(app.state).label),
            "finished": app.state in FINAL_STAGES,
            "explanation": tracking.explanation,
            "applicant": tracking.applicant_masked,
            "sop": {
                "state": status.state,
                "deadline": status.deadline,
                "working_days_left": tracking.working_days_left,
                "paused_because": tracking.paused_because,
            },
            "findings": [
                {"requirement": p.name, "verdict": p.status_label, "note": p.note}
                for p in tracking.problems
            ],
            "timeline": [
                {"at": step.at, "label": step.label, "note": step.note}
                for step in tracking.timeline
            ],
            "recommendations": [
                {
                    "agency": wait.agency,
                    "answered": wait.answered,
                    "late": wait.late,
                    "working_days_late": wait.working_days_late,
                }
                for wait in tracking.agencies
            ],
            "site_visit": {
                "at": tracking.visit.at,
                "status": tracking.visit.status,
                "wished_at": tracking.visit.wished_at,
            }
            if tracking.visit
            else None,
        }
        return Response(_STATUS_OUT.to_representation(data))


# One serializer for every answer: its fields are built once, not copied per call (the
# answer is the same; issue 21.9).
_STATUS_OUT = ApplicationStatusOut()
