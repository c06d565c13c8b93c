"""Abstract models every app may build on."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from .origin import Origin


class AppendOnlyError(ValueError):
    """An audit row was about to be changed or deleted."""


class AppendOnlyEvent(models.Model):
    """An audit row: written once by its app's `*_record` service, never changed or deleted.

    `created_at` and `ip` are common to every event log; a log that also keeps the user agent
    declares `user_agent = models.CharField(max_length=300, blank=True)`. `origin_columns`
    turns an `Origin` into the columns the concrete model has. Rows still go when their parent
    row is deleted (the ORM's cascade deletes in bulk, without calling `delete()`).
    """

    created_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural.capitalize()} are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name_plural.capitalize()} are append-only.")

    @classmethod
    def origin_columns(cls, origin: "Origin | None") -> dict:
        """Return the columns that store `origin` on this model (ip, and user_agent if it has one)."""
        columns = {"ip": origin.ip if origin else None}
        if any(field.name == "user_agent" for field in cls._meta.concrete_fields):
            columns["user_agent"] = origin.user_agent if origin else ""
        return columns
