"""What the app API keeps beyond the account models: one-time ownership challenges."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


def challenge_value_new() -> str:
    return secrets.token_urlsafe(32)


def challenge_expiry() -> timezone.datetime:
    return timezone.now() + timedelta(seconds=settings.API_CHALLENGE_TTL_SECONDS)


class OwnershipChallenge(models.Model):
    """A random value a new device must sign with the key derived from the account key. Single use."""

    device = models.ForeignKey("accounts.Device", on_delete=models.CASCADE, related_name="challenges")
    value = models.CharField(max_length=64, unique=True, default=challenge_value_new)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=challenge_expiry)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["device", "-created_at"])]

    def __str__(self):
        return f"challenge for device {self.device_id}"
