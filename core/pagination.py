"""One way to cut a long list into pages: `page_of` in the view, `components/pagination.html` in the page.

A list that grows with use (tickets, audit trails, a member's requests, forum topics) is never
rendered whole: the view hands the template one page of it, and the links to the other pages
keep the filters the list was asked for (`?status=new&page=2`).
"""

from django.core.paginator import Page, Paginator


def page_of(request, items, per_page: int) -> Page:
    """The page of `items` that `?page=` asks for: the first one when it is missing or not a
    number, the last one for `last` or a number past the end."""
    paginator = Paginator(items, per_page)
    number = request.GET.get("page")
    return paginator.get_page(paginator.num_pages if number == "last" else number)
