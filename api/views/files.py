"""Filing for an applicant (issue 21.3, ``applications:write`` and ``documents:write``): a
partner creates a draft on behalf of an applicant named by NIK (and NIB for a business),
uploads a document per requirement, submits, and answers a return, through the same
services and checks as the pages (``permits.services``): the partner's account
(``Role.PARTNER``) speaks for the applicant on the files it filed and on no other.

A file is named by its ``id`` (a random UUID, never a guessable number). A partner reaches
the files it created; any other is "not found", whoever's it is.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from api.base import PartnerView
from api.forms import PartnerFileForm
from api.idempotency import HEADER, once
from api.links import file_links
from api.models import PartnerFile
from api.permissions import partner_of
from api.scopes import APPLICATIONS_READ, APPLICATIONS_WRITE, DOCUMENTS_WRITE, PERMITS_READ
from api.serializers import problems
from core.masking import mask_name, mask_nik
from core.ratelimit import client_address
from issuance.downloads import permit_pdf_ready, permit_pdf_response
from issuance.models import Permit, PermitStatus
from permits.details.values import details_clean
from permits.models import Application, DataStatus, Stage
from permits.services.applications import (
    APPLICANT_FIELDS,
    application_create,
    application_details_update,
    application_resubmit,
    application_submit,
    details_wanting,
    documents_wanting,
)
from permits.services.checks import checks_awaiting_replacement
from permits.services.context import Actor
from permits.services.data_checks import data_check_of, data_correct, data_wanting
from permits.services.documents import document_upload
from permits.services.events import held_attempts_recorded
from places.selectors import gazetteer

# --- shapes --------------------------------------------------------------------------------


class FileIn(serializers.Serializer):
    permit_type = serializers.CharField(help_text="A type's code from the catalogue.")
    applicant_name = serializers.CharField(max_length=150)
    applicant_nik = serializers.RegexField(
        r"^\d{16}$", help_text="16 digits, checked as on the pages (region, birth date)."
    )
    applicant_nib = serializers.RegexField(
        r"^\d{13}$", required=False, help_text="13 digits, for a business."
    )
    business_name = serializers.CharField(required=False, max_length=200)
    applicant_phone = serializers.CharField(required=False, max_length=20)
    applicant_email = serializers.EmailField(required=False)
    applicant_address = serializers.CharField()
    representative_name = serializers.CharField(required=False, max_length=150)
    representative_nik = serializers.RegexField(r"^\d{16}$", required=False)
    details = serializers.DictField(
        required=False, help_text="The type's own fields (its form in the catalogue)."
    )


class DocumentOut(serializers.Serializer):
    version = serializers.IntegerField()
    sha256 = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()


class RequirementStateOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    mandatory = serializers.BooleanField()
    verdict = serializers.CharField(help_text="pending until the counter checks it.")
    note = serializers.CharField(allow_blank=True)
    documents = DocumentOut(many=True)


class WantingOut(serializers.Serializer):
    documents = serializers.ListField(
        child=serializers.CharField(), help_text="Requirement codes still waiting for a document."
    )
    details = serializers.ListField(
        child=serializers.CharField(), help_text="The type's fields still missing or wrong."
    )


class FileLinksOut(serializers.Serializer):
    self = serializers.CharField()
    documents = serializers.CharField()
    submit = serializers.CharField()
    resubmit = serializers.CharField()
    status = serializers.CharField(allow_null=True)


class FileOut(serializers.Serializer):
    id = serializers.UUIDField()
    registration_number = serializers.CharField(allow_null=True)
    tracking_code = serializers.CharField(help_text="Give it to the applicant: it tracks the file.")
    permit_type = serializers.CharField()
    stage = serializers.ChoiceField(choices=Stage.choices)
    stage_label = serializers.CharField()
    applicant = serializers.CharField(help_text="Masked.")
    applicant_nik = serializers.CharField(help_text="Masked.")
    details = serializers.DictField()
    requirements = RequirementStateOut(many=True)
    wanting = WantingOut(help_text="What submitting (or resubmitting) still waits for.")
    links = FileLinksOut()


class DocumentIn(serializers.Serializer):
    requirement = serializers.CharField(help_text="The requirement's code.")
    file = serializers.FileField(help_text="PDF, JPEG or PNG, as the requirement accepts.")


class ResubmitIn(serializers.Serializer):
    details = serializers.DictField(
        required=False, help_text="New values for the fields the counter found wrong."
    )


# --- the file as its partner sees it --------------------------------------------------------


def _wanting(app: Application) -> dict:
    if app.state == Stage.RETURNED:
        return {
            "documents": [c.requirement.code for c in checks_awaiting_replacement(application=app)],
            "details": data_wanting(app),
        }
    if app.state != Stage.DRAFT:
        return {"documents": [], "details": []}
    return {
        "documents": [requirement.code for requirement in documents_wanting(app)],
        "details": details_wanting(app),
    }


def file_data(app: Application) -> dict:
    checks = list(app.checks.select_related("requirement").order_by("requirement__position"))
    documents = list(app.documents.order_by("requirement_id", "version"))
    by_requirement: dict[int, list] = {}
    for document in documents:
        by_requirement.setdefault(document.requirement_id, []).append(
            {
                "version": document.version,
                "sha256": document.sha256,
                "content_type": document.content_type,
                "size": document.size,
                "uploaded_at": document.uploaded_at,
            }
        )
    return FileOut(
        {
            "id": app.public_id,
            "registration_number": app.registration_number or None,
            "tracking_code": app.tracking_code,
            "permit_type": app.permit_type.code,
            "stage": app.state,
            "stage_label": str(Stage(app.state).label),
            "applicant": mask_name(app.applicant_name),
            "applicant_nik": mask_nik(app.applicant_nik),
            "details": app.details,
            "requirements": [
                {
                    "code": c.requirement.code,
                    "name": c.requirement.name,
                    "mandatory": c.requirement.mandatory,
                    "verdict": c.status,
                    "note": c.note,
                    "documents": by_requirement.get(c.requirement_id, []),
                }
                for c in checks
            ],
            "wanting": _wanting(app),
            "links": file_links(app),
        }
    ).data


def partner_file(request, public_id) -> Application:
    """The file ``public_id`` if the calling partner created it (or reads every file, for
    reading only); else "not found"."""
    partner = partner_of(request)
    app = Application.objects.select_related("permit_type").filter(public_id=public_id).first()
    if app is None:
        raise NotFound()
    mine = PartnerFile.objects.filter(partner=partner, application=app).exists()
    if not mine and not (request.method == "GET" and partner.reads_all_files):
        raise NotFound()
    return app


def _actor(request) -> Actor:
    """The partner's account, from where it called."""
    return Actor(
        user=partner_of(request).account,
        ip=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


# --- operations ----------------------------------------------------------------------------

FILE_PROBLEMS = problems(400, 401, 403, 404, 409, 429)


FILE_PROBLEMS = (401, 403, 404, 409, 429)


class FileCreateView(PartnerView):
    scopes = {"POST": APPLICATIONS_WRITE}

    @extend_schema(
        operation_id="file_create",
        summary="Create a draft file on an applicant's behalf",
        description=(
            "The applicant is named by NIK (and NIB for a business), checked as on the pages. "
            "Send a unique `Idempotency-Key` per new file: a retry with the same key and body "
            "answers as the first request did (`Idempotent-Replayed: true`) and makes no "
            "second file; the same key with another body is refused (422)."
        ),
        parameters=[
            OpenApiParameter(
                HEADER,
                {"type": "string", "minLength": 1, "maxLength": 255},
                OpenApiParameter.HEADER,
                required=True,
            )
        ],
        request=FileIn,
        responses={201: FileOut, **problems(400, 401, 403, 409, 422, 429)},
    )
    def post(self, request):
        partner = partner_of(request)
        data = request.data if isinstance(request.data, dict) else None
        if data is None:
            raise ValidationError(_("Kirim satu objek JSON."))

        def act():
            app = _create(data, _actor(request))
            PartnerFile.objects.create(partner=partner, application=app)
            body = file_data(app)
            return 201, body, body["links"]["self"]

        response = once(request, partner=partner, operation="file_create", act=act)
        self.target = f"file:{response.data['id']}"  # a replay names the same file
        return response


def _create(data: dict, actor: Actor) -> Application:
    form = PartnerFileForm(data={k: v for k, v in data.items() if k != "details"})
    if not form.is_valid():
        raise ValidationError(form.errors)
    details = data.get("details") or {}
    permit_type = form.cleaned_data["permit_type"]
    fields = {name: form.cleaned_data[name] for name in APPLICANT_FIELDS}
    app = application_create(permit_type=permit_type, actor=actor, **fields)
    if details:
        values = details_cleaned(app.form_spec, details)
        app = application_details_update(application=app, actor=actor, details=values)
    return app


def details_cleaned(spec: list[dict], details) -> dict:
    """The type's fields as the pages clean them (``permits.details``); each wrong or
    unknown field is named (``details.<key>``)."""
    if not isinstance(details, dict):
        raise ValidationError({"details": [_("Data permohonan harus berupa objek.")]})
    cleaned = details_clean(spec, details, places=gazetteer(), complete=False)
    known = {definition["key"] for definition in spec}
    errors = {f"details.{key}": [message] for key, message in cleaned.errors.items()}
    errors |= {
        f"details.{key}": [_("Isian ini tidak ada pada formulir jenis izin ini.")]
        for key in details
        if key not in known
    }
    if errors:
        raise ValidationError(errors)
    return cleaned.values


class FileView(PartnerView):
    scopes = {"GET": APPLICATIONS_READ}

    @extend_schema(
        operation_id="file_read",
        summary="A file the partner filed: its stage, requirements, documents, what it lacks",
        responses={200: FileOut, **problems(*FILE_PROBLEMS)},
    )
    def get(self, request, public_id):
        self.target = f"file:{public_id}"
        return Response(file_data(partner_file(request, public_id)))


class DocumentUploadView(PartnerView):
    scopes = {"POST": DOCUMENTS_WRITE}
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="file_document_upload",
        summary="Upload a document for one requirement (a new version)",
        description=(
            "Checked by content as on the pages: the format the requirement accepts and its "
            "size. On a returned file, a document the counter found wanting is refused if it "
            "comes back unchanged."
        ),
        request={"multipart/form-data": DocumentIn},
        responses={201: FileOut, **problems(400, *FILE_PROBLEMS, 413, 415)},
    )
    def post(self, request, public_id):
        self.target = f"file:{public_id}"
        app = partner_file(request, public_id)
        code = str(request.data.get("requirement", "")).strip()
        uploaded = request.FILES.get("file")
        errors = {}
        requirement = app.permit_type.requirements.filter(code=code, active=True).first()
        if requirement is None:
            errors["requirement"] = [_("Pilih persyaratan dari jenis izin berkas ini.")]
        if uploaded is None:
            errors["file"] = [_("Pilih berkas untuk diunggah.")]
        if errors:
            raise ValidationError(errors)
        document_upload(
            application=app, requirement=requirement, uploaded=uploaded, actor=_actor(request)
        )
        return Response(file_data(app), status=201)


class SubmitView(PartnerView):
    scopes = {"POST": APPLICATIONS_WRITE}
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="file_submit",
        summary="Submit a draft: it gets its registration number and goes to the counter",
        description="Every mandatory document and field first; a second submit is a 409.",
        request=None,
        responses={200: FileOut, **problems(*FILE_PROBLEMS)},
    )
    def post(self, request, public_id):
        self.target = f"file:{public_id}"
        app = partner_file(request, public_id)
        app = application_submit(application=app, actor=_actor(request))
        return Response(file_data(app))


class ResubmitView(PartnerView):
    scopes = {"POST": APPLICATIONS_WRITE}
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="file_resubmit",
        summary="Answer a return: send the fixed file back to the counter",
        description=(
            "Upload a new document for every requirement the counter found wanting first; "
            "send the corrected values of the fields it found wrong in `details`."
        ),
        request=ResubmitIn,
        responses={200: FileOut, **problems(400, *FILE_PROBLEMS)},
    )
    def post(self, request, public_id):
        self.target = f"file:{public_id}"
        app = partner_file(request, public_id)
        details = request.data.get("details") if isinstance(request.data, dict) else None
        return Response(file_data(_answer(app, details, _actor(request))))


@held_attempts_recorded  # a refusal on a held file is recorded after the rollback
@transaction.atomic
def _answer(app: Application, details: dict | None, actor: Actor) -> Application:
    """The corrections, then the resubmission: both or neither."""
    if details is not None:
        app = _corrected(app, details, actor)
    return application_resubmit(application=app, actor=actor)


def _corrected(app: Application, details: dict, actor: Actor) -> Application:
    """The fields the counter named, cleaned as the page cleans them; only those."""
    check = data_check_of(app)
    named = set(check.fields) if check is not None and check.status == DataStatus.WRONG else set()
    values = details_cleaned([f for f in app.form_spec if f["key"] in named], details)
    return data_correct(
        application=app, actor=actor, values={key: values.get(key) for key in details}
    )


class PermitOut(serializers.Serializer):
    number = serializers.CharField()
    code = serializers.CharField(help_text="The verification code printed with the QR code.")
    status = serializers.ChoiceField(choices=PermitStatus.choices)
    holder = serializers.CharField()
    business = serializers.CharField(allow_blank=True)
    issued_at = serializers.DateTimeField(help_text="In the office's time zone.")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.CharField(allow_blank=True)
    pdf_sha256 = serializers.CharField(
        allow_blank=True, help_text="Of the signed PDF; blank while it is being made."
    )
    pdf = serializers.CharField(help_text="Where to download the signed PDF.")


def _permit(request, public_id) -> Permit:
    app = partner_file(request, public_id)
    permit = Permit.objects.filter(application=app).first()
    if permit is None:
        raise NotFound(_("Izin berkas ini belum terbit."))
    return permit


class PermitView(PartnerView):
    scopes = {"GET": PERMITS_READ}

    @extend_schema(
        operation_id="file_permit",
        summary="The permit issued on a file the partner filed",
        responses={200: PermitOut, **problems(*FILE_PROBLEMS)},
    )
    def get(self, request, public_id):
        self.target = f"file:{public_id}"
        permit = _permit(request, public_id)
        self.target = f"permit:{permit.number}"[:120]
        return Response(
            PermitOut(
                {
                    "number": permit.number,
                    "code": permit.code,
                    "status": permit.status,
                    "holder": permit.holder_name,
                    "business": permit.business_name,
                    "issued_at": permit.issued_at,
                    "valid_from": permit.valid_from,
                    "valid_until": permit.valid_until,
                    "revoked_at": permit.revoked_at,
                    "revocation_reason": permit.revocation_reason,
                    "pdf_sha256": permit.pdf_sha256,
                    "pdf": reverse("api:file_permit_pdf", args=[public_id]),
                }
            ).data
        )


class PdfRenderer(BaseRenderer):
    """Lets a caller ask for ``application/pdf``; the view answers with the file itself."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PermitPdfView(PartnerView):
    scopes = {"GET": PERMITS_READ}
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="file_permit_pdf",
        summary="Download the signed permit PDF",
        description=(
            "The PDF as signed, checked against its stored SHA-256. While it is still being "
            "made the answer is 202 with `Retry-After`: ask again."
        ),
        responses={
            (200, "application/pdf"): OpenApiResponse(
                {"type": "string", "format": "binary"}, description="The signed PDF."
            ),
            202: OpenApiResponse(description="Being made: ask again after Retry-After."),
            **problems(*FILE_PROBLEMS),
        },
    )
    def get(self, request, public_id):
        self.target = f"file:{public_id}"
        permit = _permit(request, public_id)
        self.target = f"permit:{permit.number}"[:120]
        if not permit_pdf_ready(permit):
            response = Response(status=202)
            response["Retry-After"] = "10"
            return response
        return permit_pdf_response(permit)
