from django.urls import path

from permits.views import applicant as views
from permits.views import site_visits

app_name = "applicant"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ajukan/<str:code>/", views.start, name="start"),
    path("berkas/<uuid:public_id>/", views.file_page, name="file"),
    path("berkas/<uuid:public_id>/simpan/", views.save_draft, name="save"),
    path("berkas/<uuid:public_id>/perbaiki-data/", views.correct_data, name="correct"),
    path("berkas/<uuid:public_id>/unggah/", views.upload, name="upload"),
    path("berkas/<uuid:public_id>/ajukan/", views.submit, name="submit"),
    path("berkas/<uuid:public_id>/cabut/", views.withdraw, name="withdraw"),
    path(
        "berkas/<uuid:public_id>/peninjauan/",
        site_visits.applicant_site_visit,
        name="site_visit",
    ),
    path(
        "berkas/<uuid:public_id>/peninjauan/tanda-tangan/",
        site_visits.applicant_site_visit_sign,
        name="site_visit_sign",
    ),
    path(
        "berkas/<uuid:public_id>/peninjauan/berita-acara.pdf",
        site_visits.applicant_site_visit_report,
        name="site_visit_report",
    ),
    path("berkas/<uuid:public_id>/pesan/", views.message, name="message"),
    path("berkas/<uuid:public_id>/tanda-terima/", views.receipt, name="receipt"),
    path("berkas/<uuid:public_id>/tanda-terima.pdf", views.receipt_download, name="receipt_pdf"),
]
