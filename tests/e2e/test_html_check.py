"""The HTML check names the page and the checker's message for each error."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.html_check import KeptPages

PAGE = """<!DOCTYPE html><html lang="en"><head><title>{title}</title></head>
<body><p><time datetime="{when}">Today</time></p></body></html>"""


def test_vnu_names_the_page_and_the_error_and_passes_a_valid_page(tmp_path: Path) -> None:
    pages = KeptPages(tmp_path)
    pages.keep(
        "child, with the timeline",
        PAGE.format(title="Child", when="2026-03-06T10:15:00.123456+00:00"),
    )
    pages.keep("my work", PAGE.format(title="My work", when="2026-03-06T10:15:00+00:00"))
    assert pages.validate() == [
        "child, with the timeline (line 2): Bad value “2026-03-06T10:15:00.123456+00:00” for "
        "attribute “datetime” on element “time”: A fraction of a second must be one, two, or "
        "three digits."
    ]
