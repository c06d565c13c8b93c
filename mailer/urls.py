from django.urls import path

from . import views

app_name = "mailer"

urlpatterns = [
    path("", views.outbox_index, name="outbox"),
    path("<str:name>/", views.outbox_detail, name="outbox_detail"),
    path("<str:name>/html/", views.outbox_html, name="outbox_html"),
    path("<str:name>/reply/", views.outbox_reply, name="outbox_reply"),
]
