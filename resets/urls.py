from django.urls import path

from . import views

app_name = "resets"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("request/", views.request_reset, name="request"),
    path("requested/", views.requested, name="requested"),
    path("hint/", views.hint_request, name="hint"),
    path("hint/sent/", views.hint_sent, name="hint_sent"),
    path("link/", views.link, name="link"),
    path("link/backup/", views.backup, name="backup"),
    path("link/factor/", views.link_factor, name="link_factor"),
    path("link/<str:token>/", views.link_token, name="link_token"),
    path("done/", views.done, name="done"),
    path("cancel/", views.cancel, name="cancel"),
    path("cancel/mine/", views.cancel_signed_in, name="cancel_signed_in"),
    path("cancel/<str:token>/", views.cancel_token, name="cancel_token"),
]
