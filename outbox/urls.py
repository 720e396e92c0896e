from django.urls import path

from outbox import views

app_name = "outbox"

urlpatterns = [path("", views.inbox, name="inbox")]
