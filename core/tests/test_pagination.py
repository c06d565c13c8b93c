"""One page of a long list: which page `?page=` asks for, and links that keep the list's filters."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from core.pagination import page_of

ROWS = list(range(1, 8))  # 7 rows, 3 a page: pages [1 2 3] [4 5 6] [7]


@pytest.mark.parametrize(
    ("asked", "first_row"),
    [(None, 1), ("2", 4), ("last", 7), ("99", 7), ("0", 7), ("two", 1), ("", 1)],
)
def test_the_page_asked_for_or_the_nearest_one_that_exists(asked, first_row):
    request = RequestFactory().get("/", {"page": asked} if asked is not None else {})
    assert page_of(request, ROWS, 3)[0] == first_row


def _links(query: dict) -> str:
    request = RequestFactory().get("/support/tickets/", query)
    template = Template('{% include "components/pagination.html" %}')
    return template.render(Context({"request": request, "page": page_of(request, ROWS, 3)}))


def test_the_links_keep_the_filters_of_the_list():
    html = _links({"status": "waiting", "scope": "mine", "page": "2"})
    assert 'href="?status=waiting&amp;scope=mine&amp;page=1" rel="prev"' in html
    assert 'href="?status=waiting&amp;scope=mine&amp;page=3" rel="next"' in html
    assert "Page 2 of 3" in html


def test_a_filter_value_cannot_break_out_of_the_link():
    html = _links({"actor": '"><script>alert(1)</script>'})
    assert "<script>" not in html
    assert "?actor=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;page=2" in html


def test_a_list_of_one_page_has_no_page_links():
    request = RequestFactory().get("/")
    html = Template('{% include "components/pagination.html" %}').render(
        Context({"request": request, "page": page_of(request, ROWS[:3], 3)})
    )
    assert html.strip() == ""
