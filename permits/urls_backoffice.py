from django.urls import path

from permits.views import backoffice as views
from permits.views import site_visits

app_name = "backoffice"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("tim/", views.team, name="team"),
    path("loket/baru/", views.walk_in, name="walk_in"),
    path("berkas/<uuid:public_id>/", views.file_page, name="file"),
    path("berkas/<uuid:public_id>/aksi/<slug:name>/", views.file_action, name="action"),
    path("berkas/<uuid:public_id>/periksa/", views.file_checklist, name="checklist"),
    path(
        "berkas/<uuid:public_id>/rekomendasi/<slug:act>/",
        views.file_recommendation,
        name="recommendation",
    ),
    path(
        "berkas/<uuid:public_id>/peninjauan/berita-acara.pdf",
        site_visits.file_site_visit_report,
        name="site_visit_report",
    ),
    path(
        "berkas/<uuid:public_id>/peninjauan/foto/",
        site_visits.file_site_visit_photo,
        name="site_visit_photo",
    ),
    path(
        "berkas/<uuid:public_id>/peninjauan/foto/<uuid:photo_id>/",
        site_visits.file_site_visit_photo_image,
        name="site_visit_photo_image",
    ),
    path(
        "berkas/<uuid:public_id>/peninjauan/<slug:act>/",
        site_visits.file_site_visit,
        name="site_visit",
    ),
    path("berkas/<uuid:public_id>/data/", views.file_details_save, name="details"),
    path("berkas/<uuid:public_id>/unggah/", views.file_upload, name="upload"),
    path("berkas/<uuid:public_id>/pindah/", views.file_reassign, name="reassign"),
    path("berkas/<uuid:public_id>/pesan/", views.file_message, name="message"),
    path("dokumen/<uuid:public_id>/", views.document_download, name="document"),
    path("dokumen/<uuid:public_id>/pratinjau.png", views.document_preview, name="preview"),
]
