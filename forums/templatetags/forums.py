from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`names|get_item:post.author_id`: look a key up in a dict."""
    return mapping.get(key, "") if mapping else ""
