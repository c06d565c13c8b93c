from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("devices/<int:device_pk>/sign-out/", views.device_sign_out, name="device_sign_out"),
    path("devices/sign-out-all/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("hint/", views.hint_change, name="hint_change"),
    path("close/", views.account_close, name="close"),
    path("confirm-email/resend/", views.email_confirmation_resend, name="email_confirmation_resend"),
    path("email/", views.email_change, name="email_change"),
    path("email/confirm/", views.email_confirm, name="email_confirm"),
    path("email/confirm/<str:token>/", views.email_confirm_token, name="email_confirm_token"),
    path("email/undo/", views.email_undo, name="email_undo"),
    path("email/undo/<str:token>/", views.email_undo_token, name="email_undo_token"),
]
