"""Benchmark URLs: the portal, plus allauth's own password-reset view as a yardstick."""

from allauth.account.views import PasswordResetView
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/allauth-password-reset/", PasswordResetView.as_view(), name="bench_allauth_password_reset"),
    *portal_urlpatterns,
]
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"
