"""Issuance's public pages (mounted at the site root) and its back-office and applicant
routes (mounted under /kantor/ and /saya/ by portal.urls)."""

from django.urls import path, re_path

from issuance import views

app_name = "issuance"

DAY = r"(?P<day>\d{4}-\d{2}-\d{2})"

urlpatterns = [
    path("verifikasi/", views.verify_start, name="verify_start"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
    path("daftar-izin/", views.register_index, name="register"),
    path("daftar-izin/rantai.json", views.register_chain_json, name="register_chain"),
    path("daftar-izin/jangkar.json", views.register_anchors_json, name="register_anchors"),
    re_path(rf"^daftar-izin/{DAY}/$", views.register_day, name="register_day"),
    re_path(rf"^daftar-izin/{DAY}\.json$", views.register_day_json, name="register_day_json"),
    path("lacak/<str:code>/izin.pdf", views.tracking_permit, name="tracking_permit"),
    path("saya/berkas/<uuid:public_id>/izin.pdf", views.applicant_permit, name="applicant_permit"),
    path("kantor/berkas/<uuid:public_id>/izin.pdf", views.office_permit, name="office_permit"),
    path(
        "kantor/berkas/<uuid:public_id>/pratinjau-izin.png",
        views.permit_preview,
        name="permit_preview",
    ),
    path("kantor/berkas/<uuid:public_id>/bayar/", views.payment, name="payment"),
    path("kantor/berkas/<uuid:public_id>/cabut-izin/", views.revoke, name="revoke"),
    path("api/bank/pembayaran/", views.bank_callback, name="bank_callback"),
]
