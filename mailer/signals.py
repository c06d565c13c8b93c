"""Delivery events from the e-mail provider (anymail tracking webhooks)."""

from anymail.signals import tracking
from django.dispatch import receiver

from .services import email_track


@receiver(tracking)
def record_delivery_event(sender, event, esp_name, **kwargs):
    email_track(message_id=event.message_id or "", event_type=event.event_type)
