from django.urls import path

from integrity.conflicts import views

app_name = "integrity"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("afiliasi/", views.register, name="register"),
    path("kasus/<uuid:public_id>/", views.case_page, name="case"),
    path("gratifikasi/", views.gratifications, name="gratifications"),
    path("gratifikasi/<uuid:public_id>/kpk/", views.gratification_kpk, name="gratification_kpk"),
    path("sanksi/", views.sanctions, name="sanctions"),
    path("sanksi/<uuid:public_id>/banding/", views.sanction_appeal, name="sanction_appeal"),
    path("berkas/<uuid:public_id>/deklarasi/", views.declare, name="declare"),
    path("berkas/<uuid:public_id>/kasus-baru/", views.open_case, name="open_case"),
    path("berkas/<uuid:public_id>/dugaan/", views.report_suspicion, name="report_suspicion"),
]
