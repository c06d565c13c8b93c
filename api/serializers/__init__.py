"""Input and output shapes of the app API, one module per subject (as in `api/views/`).

`base` holds the fields and base classes; views import the shapes from this package."""

from .account import (
    AccountKeySetupSerializer,
    AccountStatusSerializer,
    LicenceSerializer,
    PasswordChangeSerializer,
    PayloadSerializer,
    PendingResetSerializer,
)
from .base import (
    Base64UrlField,
    DetailSerializer,
    ErrorSerializer,
    KdfSerializer,
)
from .devices import (
    ChallengeSerializer,
    DeviceFields,
    DeviceSerializer,
    DeviceVerifySerializer,
    PreloginResultSerializer,
    PreloginSerializer,
    SignInResultSerializer,
    SignInSerializer,
    SignUpResultSerializer,
    SignUpSerializer,
)
from .support_requests import (
    SupportApproveSerializer,
    SupportRequestSerializer,
)
from .vault import (
    BackupCheckResultSerializer,
    BackupCheckSerializer,
    VaultChangesSerializer,
    VaultItemCreateSerializer,
    VaultItemDeleteSerializer,
    VaultItemSerializer,
    VaultItemWriteSerializer,
    VaultQuerySerializer,
)

__all__ = [
    "AccountKeySetupSerializer",
    "AccountStatusSerializer",
    "BackupCheckResultSerializer",
    "BackupCheckSerializer",
    "Base64UrlField",
    "ChallengeSerializer",
    "DetailSerializer",
    "DeviceFields",
    "DeviceSerializer",
    "DeviceVerifySerializer",
    "ErrorSerializer",
    "KdfSerializer",
    "LicenceSerializer",
    "PasswordChangeSerializer",
    "PayloadSerializer",
    "PendingResetSerializer",
    "PreloginResultSerializer",
    "PreloginSerializer",
    "SignInResultSerializer",
    "SignInSerializer",
    "SignUpResultSerializer",
    "SignUpSerializer",
    "SupportApproveSerializer",
    "SupportRequestSerializer",
    "VaultChangesSerializer",
    "VaultItemCreateSerializer",
    "VaultItemDeleteSerializer",
    "VaultItemSerializer",
    "VaultItemWriteSerializer",
    "VaultQuerySerializer",
]
