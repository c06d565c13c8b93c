"""`form_error_count`: how many error messages a form shows, at its fields and above them."""

from django import template

register = template.Library()


@register.filter
def form_error_count(form) -> int:
    """Count every message the page shows: each field's errors and the form's own (not one per field)."""
    return sum(len(errors) for errors in form.errors.values())
