from django.urls import path

from public.views import indexes

app_name = "indexes"

urlpatterns = [
    path("", indexes.overview, name="overview"),
]
