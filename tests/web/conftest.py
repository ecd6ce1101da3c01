from __future__ import annotations

from typing import Any

import pytest

from tests.web.submissions import VALID_TRIAGE


@pytest.fixture
def valid_triage() -> dict[str, Any]:
    """A complete, valid triage form submission, safe to change in a test."""
    return dict(VALID_TRIAGE)
