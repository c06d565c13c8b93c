"""`{% page_url number %}`: the current page's address on another page of its list, filters kept."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """`?<the request's own query>&page=<number>`, so that a filtered list stays filtered."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
