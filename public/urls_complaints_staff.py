from django.urls import path

from public.views import complaints_staff as views

app_name = "complaints_staff"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("<uuid:public_id>/", views.complaint_detail, name="detail"),
    path("bukti/<uuid:public_id>/", views.evidence, name="evidence"),
]
