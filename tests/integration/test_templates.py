"""Rules every page template keeps, checked on the template files themselves."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
DATA_TABLE = re.compile(r'<table class="table(?P<classes>[^"]*)"')


def test_every_data_table_scrolls_in_its_own_box_on_a_phone():
    """A wide table in a card pushed the whole page sideways at 375 px (the supervisor's staff
    second-factor table): each one sits in a `.table-wrap` region or stacks its rows (`.table-stack`)."""
    loose = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        for table in DATA_TABLE.finditer(html):
            if "table-stack" in table["classes"]:
                continue
            before = html[: table.start()].rstrip()
            if not re.search(r'<div class="[^"]*\btable-wrap\b[^"]*"[^>]*>$', before):
                loose.append(f"{path.relative_to(TEMPLATES)}:{html.count(chr(10), 0, table.start()) + 1}")
    assert not loose, "Tables outside a .table-wrap: " + ", ".join(loose)
