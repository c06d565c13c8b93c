from pathlib import Path

import drf_spectacular_sidecar
from django.urls import path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView

from .errors import api_not_found
from .views import account, devices, docs, support_requests, vault

app_name = "api"

SIDECAR_STATIC = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.docs_home, name="docs"),
    path("docs/<slug:slug>/", docs.docs_document, name="docs-document"),
    re_path(r"^docs/assets/(?P<path>swagger-ui-dist/[\w.-]+)$", serve, {"document_root": SIDECAR_STATIC}),
    path("prelogin/", devices.PreloginView.as_view(), name="prelogin"),
    path("signup/", devices.SignUpView.as_view(), name="signup"),
    path("signin/", devices.SignInView.as_view(), name="signin"),
    path("signout/", devices.SignOutView.as_view(), name="signout"),
    path("account/", account.AccountStatusView.as_view(), name="account"),
    path("account/key/", account.AccountKeyView.as_view(), name="account-key"),
    path("account/reset-request/", account.PendingResetView.as_view(), name="pending-reset"),
    path("account/key/qr/", account.QrResendView.as_view(), name="qr-resend"),
    path("account/password/", account.PasswordChangeView.as_view(), name="password-change"),
    path("licence/", account.LicenceView.as_view(), name="licence"),
    path("devices/", devices.DeviceListView.as_view(), name="devices"),
    path("devices/verify/", devices.DeviceVerifyView.as_view(), name="device-verify"),
    path("devices/<int:pk>/signout/", devices.DeviceSignOutView.as_view(), name="device-signout"),
    path("support-requests/", support_requests.SupportRequestListView.as_view(), name="support-requests"),
    path(
        "support-requests/<uuid:pk>/approve/",
        support_requests.SupportRequestApproveView.as_view(),
        name="support-request-approve",
    ),
    path(
        "support-requests/<uuid:pk>/refuse/",
        support_requests.SupportRequestRefuseView.as_view(),
        name="support-request-refuse",
    ),
    path("vault/items/", vault.VaultItemsView.as_view(), name="vault-items"),
    path("vault/items/<uuid:item_id>/", vault.VaultItemView.as_view(), name="vault-item"),
    path("backups/check/", vault.BackupCheckView.as_view(), name="backup-check"),
    re_path(r"^.*$", api_not_found),
]
