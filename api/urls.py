from pathlib import Path

import drf_spectacular_sidecar
from django.urls import path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView

from . import docs, views
from .errors import api_not_found

app_name = "api"

SIDECAR_STATIC = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.docs_home, name="docs"),
    path("docs/<slug:slug>/", docs.docs_document, name="docs-document"),
    re_path(r"^docs/assets/(?P<path>swagger-ui-dist/[\w.-]+)$", serve, {"document_root": SIDECAR_STATIC}),
    path("prelogin/", views.PreloginView.as_view(), name="prelogin"),
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("signin/", views.SignInView.as_view(), name="signin"),
    path("signout/", views.SignOutView.as_view(), name="signout"),
    path("account/", views.AccountStatusView.as_view(), name="account"),
    path("account/key/", views.AccountKeyView.as_view(), name="account-key"),
    path("account/reset-request/", views.PendingResetView.as_view(), name="pending-reset"),
    path("account/key/qr/", views.QrResendView.as_view(), name="qr-resend"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("licence/", views.LicenceView.as_view(), name="licence"),
    path("devices/", views.DeviceListView.as_view(), name="devices"),
    path("devices/verify/", views.DeviceVerifyView.as_view(), name="device-verify"),
    path("devices/<int:pk>/signout/", views.DeviceSignOutView.as_view(), name="device-signout"),
    path("support-requests/", views.SupportRequestListView.as_view(), name="support-requests"),
    path(
        "support-requests/<uuid:pk>/approve/",
        views.SupportRequestApproveView.as_view(),
        name="support-request-approve",
    ),
    path(
        "support-requests/<uuid:pk>/refuse/",
        views.SupportRequestRefuseView.as_view(),
        name="support-request-refuse",
    ),
    path("vault/items/", views.VaultItemsView.as_view(), name="vault-items"),
    path("vault/items/<uuid:item_id>/", views.VaultItemView.as_view(), name="vault-item"),
    path("backups/check/", views.BackupCheckView.as_view(), name="backup-check"),
    re_path(r"^.*$", api_not_found),
]
