"""How long a person waits for a triage answer, from form post to rendered page."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.web.submissions import VALID_TRIAGE


def test_triage_answer_page(benchmark: Any, client: Client) -> None:
    response = benchmark(client.post, "/triage/", VALID_TRIAGE)
    assert response.status_code == 200
    assert "Hold by " in response.content.decode()
