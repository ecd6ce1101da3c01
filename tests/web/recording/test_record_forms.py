"""The record's two forms (the record page, and the decisions about the whole discussion)
save every field of the record, each from exactly one of them."""

from __future__ import annotations

from django.http import QueryDict

from strategise.discussions.recording import RECORD_FIELDS
from strategise.web.recording.forms import OtherDecisionsForm, RecordForm


def _saved(form: RecordForm | OtherDecisionsForm) -> set[str]:
    assert form.is_valid(), form.errors
    return set(form.values())


def test_the_two_forms_save_the_whole_record_between_them() -> None:
    record = _saved(RecordForm(QueryDict("version=0"), questions=(), agenda=()))
    decisions = _saved(OtherDecisionsForm(QueryDict("version=0")))
    assert record.isdisjoint(decisions)
    assert record | decisions == set(RECORD_FIELDS)


def test_the_decisions_are_saved_as_typed_trimmed() -> None:
    form = OtherDecisionsForm(
        QueryDict("version=0&interpreter=+Tigrinya+&further_discussion_needed=yes")
    )
    assert form.is_valid(), form.errors
    values = form.values()
    assert values["interpreter"] == "Tigrinya"
    assert values["further_discussion_needed"] is True
    assert values["family_not_informed_reason"] == ""
