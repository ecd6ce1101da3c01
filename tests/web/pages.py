"""Reading rendered pages in tests: the error summary, ids, and the text a person sees."""

from __future__ import annotations

import html as html_module
import re
from collections import Counter
from typing import Any

from django.test import Client

from strategise.organisations.models import User


def page(client: Client, path: str, user: User | None = None, **data: Any) -> str:
    """The HTML of a page, fetched (after signing in as ``user``) and checked to be 200."""
    if user is not None:
        client.force_login(user)
    response = client.get(path, data or None)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response.content.decode()


def text(html: str) -> str:
    """The page's words, without tags, entities or runs of white space."""
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def error_summary(html: str) -> list[tuple[str, str]]:
    """The GOV.UK error summary's (message, link target) pairs, in order."""
    if 'class="govuk-error-summary"' not in html:
        return []
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    return [
        (text(message), target)
        for target, message in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary, re.S)
    ]


def summary_messages(html: str) -> list[str]:
    return [message for message, _ in error_summary(html)]


def ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def repeated_ids(html: str) -> list[str]:
    return [name for name, count in Counter(ids(html)).items() if count > 1]


def broken_error_links(html: str) -> list[str]:
    """Error summary links that lead to no element on the page."""
    present = set(ids(html))
    return [target for _, target in error_summary(html) if target not in present]


def navigation(html: str) -> str:
    """The words of the service navigation."""
    return text(html.split('id="navigation" >')[1].split("</ul>")[0])


def choices(html: str, name: str) -> dict[str, bool]:
    """Each checkbox or radio called ``name``: its value, and whether it is ticked."""
    found = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        if f'name="{name}"' in tag and re.search(r'type="(checkbox|radio)"', tag):
            value = re.search(r'value="([^"]*)"', tag)
            found[value.group(1) if value else ""] = bool(re.search(r"\schecked\b", tag))
    return found
