"""Page titles: the layout puts "Error: " before the title of a page that shows an error
summary (GOV.UK's pattern), so no page's own title block says it again."""

from __future__ import annotations

import re
from pathlib import Path

import strategise.web

TEMPLATES = Path(strategise.web.__file__).parent / "jinja2"
TITLE = re.compile(r"{%-?\s*block title\s*-?%}(.*?){%-?\s*endblock", re.S)


def test_no_page_says_error_in_its_own_title() -> None:
    titles = {
        str(path.relative_to(TEMPLATES)): match.group(1)
        for path in TEMPLATES.rglob("*.html")
        for match in TITLE.finditer(path.read_text())
    }
    assert len(titles) > 50
    assert [name for name, title in titles.items() if "Error" in title] == []
