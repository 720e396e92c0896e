from django.urls import path

from permits.views import tracking as views

app_name = "tracking"

urlpatterns = [
    path("", views.track_start, name="start"),
    path("<str:code>/", views.track, name="file"),
]
