"""Reference vault client: plays the apps' part against the app API (see README)."""

from .client import ClientError, VaultClient

__all__ = ["ClientError", "VaultClient"]
