from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("masuk/kode/", views.second_factor, name="second_factor"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
]
