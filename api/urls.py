"""``/api/v1/``: the partners' API, its OpenAPI document and its docs page."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider.views import TokenView

from api.views import applications, catalogue, files, meta, permits, webhooks

app_name = "api"

urlpatterns = [
    path("oauth/token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("catalogue/", catalogue.CatalogueView.as_view(), name="catalogue"),
    path("catalogue/<str:code>/", catalogue.PermitTypeView.as_view(), name="catalogue_type"),
    path("files/", files.FileCreateView.as_view(), name="file_create"),
    path("files/<uuid:public_id>/", files.FileView.as_view(), name="file"),
    path(
        "files/<uuid:public_id>/documents/",
        files.DocumentUploadView.as_view(),
        name="file_documents",
    ),
    path("files/<uuid:public_id>/submit/", files.SubmitView.as_view(), name="file_submit"),
    path("files/<uuid:public_id>/resubmit/", files.ResubmitView.as_view(), name="file_resubmit"),
    path("files/<uuid:public_id>/permit/", files.PermitView.as_view(), name="file_permit"),
    path(
        "files/<uuid:public_id>/permit/pdf/", files.PermitPdfView.as_view(), name="file_permit_pdf"
    ),
    path(
        "applications/<str:number>/",
        applications.ApplicationStatusView.as_view(),
        name="application_status",
    ),
    path("permits/verify/", permits.PermitVerifyView.as_view(), name="permit_verify"),
    path("webhooks/", webhooks.SubscriptionsView.as_view(), name="webhooks"),
    path("webhooks/<uuid:public_id>/", webhooks.SubscriptionView.as_view(), name="webhook"),
    path(
        "webhooks/<uuid:public_id>/deliveries/",
        webhooks.DeliveriesView.as_view(),
        name="webhook_deliveries",
    ),
    # Anything else under /api/v1/ is a problem document too, never the site's HTML 404.
    re_path(r"^[\s\S]*$", meta.not_found, name="not_found"),  # a newline in the path too
]
