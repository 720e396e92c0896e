from django.urls import path

from public.views import complaints as views

app_name = "complaints"

urlpatterns = [
    path("", views.start, name="start"),
    path("baru/", views.new, name="new"),
    path("terkirim/", views.done, name="done"),
    path("ikuti/", views.follow, name="follow"),
    path("ikuti/<uuid:public_id>/", views.thread, name="thread"),
    path("saya/", views.mine, name="mine"),
]
