"""Browser tests: every page state they check is also validated as HTML (vnu) at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e import html_check


@pytest.fixture(scope="session")
def kept_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[html_check.KeptPages]:
    """The pages the journeys saw; validated once, with one JVM, when the session ends."""
    missing = html_check.missing_tools()
    if missing is not None:
        pytest.fail(missing)
    pages = html_check.KeptPages(tmp_path_factory.mktemp("html"))
    yield pages
    problems = pages.validate()
    if problems:
        pytest.fail(
            f"vnu: {len(problems)} HTML errors in {len(pages.names)} page states:\n"
            + "\n".join(problems),
            pytrace=False,
        )
    print(f"\nvnu: {len(pages.names)} page states checked, no HTML errors")


@pytest.fixture(autouse=True)
def _keep_pages_for_vnu(kept_pages: html_check.KeptPages) -> None:
    html_check.KEPT = kept_pages
