from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("devices/<int:device_pk>/sign-out/", views.device_sign_out, name="device_sign_out"),
]
