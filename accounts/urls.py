from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("masuk/kode/", views.second_factor, name="second_factor"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.sign_up, name="sign_up"),
    path("profil/", views.preferences, name="preferences"),
    path("profil/kontak/", views.contact_change, name="contact_change"),
    path("verifikasi/", views.verify, name="verify"),
    path("lupa-sandi/", views.reset_start, name="reset_start"),
    path("lupa-sandi/kode/", views.reset_finish, name="reset_finish"),
]
