from django.urls import path

from integrity.inspection import views

app_name = "audit"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("bendera/<uuid:public_id>/abaikan/", views.dismiss, name="dismiss"),
    path("sampel/", views.sample, name="sample"),
    path("berkas/<uuid:public_id>/", views.story, name="story"),
    path("temuan/", views.findings, name="findings"),
    path("temuan/baru/", views.finding_new, name="finding_new"),
    path("temuan/<uuid:public_id>/", views.finding_page, name="finding"),
    path("monev/", views.monev, name="monev"),
    path("monev/<int:year>-<int:month>.<str:kind>", views.monev_file, name="monev_file"),
    path("jejak/", views.trail, name="trail"),
]
