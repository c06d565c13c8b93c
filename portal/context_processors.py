"""Template context shared by every page."""

from django.conf import settings


def product(request):
    """Expose the product name and whether the dev outbox exists."""
    return {"PRODUCT_NAME": settings.PRODUCT_NAME, "DEV_OUTBOX": settings.DEBUG}
