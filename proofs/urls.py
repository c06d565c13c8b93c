from django.urls import path

from . import views

app_name = "proofs"

urlpatterns = [path("<uuid:proof_id>/", views.answer, name="answer")]
