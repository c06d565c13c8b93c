from django.urls import path

from . import views

app_name = "resets"

urlpatterns = [
    path("", views.notice, name="notice"),
]
