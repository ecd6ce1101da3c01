"""Each chain's head, printed for an outside store, and checked against it later."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strategise.audit.models import AuditChainHead
from strategise.audit.sealing import HMAC_SHA256, audit_key, content, seal
from strategise.cli import main
from strategise.organisations.models import User
from tests.audit.support import change, record, remove

pytestmark = pytest.mark.django_db


def _anchors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    assert main(["audit", "anchor", "--json"]) == 0
    saved = tmp_path / "anchors.json"
    saved.write_text(capsys.readouterr().out, encoding="utf-8")
    return saved


def test_anchor_prints_one_line_per_chain(
    capsys: pytest.CaptureFixture[str], social_worker: User
) -> None:
    national = record()
    record(user=social_worker)
    sandwell = record(user=social_worker)
    assert main(["audit", "anchor"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"national sequence=1 event={national.pk} hash={national.hash} "
        f"at={national.at.isoformat()}",
        f"sandwell sequence=2 event={sandwell.pk} hash={sandwell.hash} "
        f"at={sandwell.at.isoformat()}",
    ]


def test_anchor_prints_json(capsys: pytest.CaptureFixture[str], social_worker: User) -> None:
    event = record(user=social_worker)
    assert main(["audit", "anchor", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "authority": "sandwell",
            "sequence": 1,
            "event_id": event.pk,
            "hash": event.hash,
            "at": event.at.isoformat(),
        }
    ]


def test_verify_checks_saved_anchors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, social_worker: User
) -> None:
    record()
    record(user=social_worker)
    saved = _anchors(capsys, tmp_path)
    record(user=social_worker)
    assert main(["audit", "verify", "--anchors", str(saved)]) == 0
    assert capsys.readouterr().out == (
        "Audit log intact: 3 events checked in 2 chains; 2 anchors still match.\n"
    )


def test_newest_events_removed_with_the_head_rewound_are_caught_by_the_anchor(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, social_worker: User
) -> None:
    first = record(user=social_worker)
    last = record(user=social_worker)
    saved = _anchors(capsys, tmp_path)
    remove(last)
    AuditChainHead.objects.update(last_hash=first.hash, count=1)
    assert main(["audit", "verify"]) == 0
    capsys.readouterr()
    assert main(["audit", "verify", "--anchors", str(saved)]) == 1
    assert capsys.readouterr().err == (
        "Audit log does not match its anchors: sandwell: event 2 of the chain, anchored, "
        "is missing.\n"
    )


def test_an_event_resealed_by_someone_with_the_key_is_caught_by_the_anchor(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, social_worker: User
) -> None:
    event = record(user=social_worker)
    saved = _anchors(capsys, tmp_path)
    event.action = "create"
    event.hash = seal(
        scheme=HMAC_SHA256,
        key=audit_key(),
        previous_hash=event.previous_hash,
        covered=content(event),
    )
    change(event, action=event.action, hash=event.hash)
    AuditChainHead.objects.update(last_hash=event.hash)
    assert main(["audit", "verify", "--anchors", str(saved)]) == 1
    assert capsys.readouterr().err == (
        "Audit log does not match its anchors: sandwell: event 1 of the chain was resealed "
        "after its anchor.\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "is not valid JSON"),
        ('{"authority": null}', "the anchors must be a JSON list"),
        ('[{"authority": null, "sequence": "one", "hash": "00"}]', "anchor 1: sequence must be"),
        ('[{"authority": null, "sequence": 1, "hash": "00"}]', "anchor 1: hash must be 64"),
        ('[{"authority": 7, "sequence": 1, "hash": "00"}]', "anchor 1: authority must be"),
        ("[3]", "anchor 1 is not an object"),
    ],
)
def test_a_bad_anchors_file_is_named_with_the_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    saved = tmp_path / "anchors.json"
    saved.write_text(text, encoding="utf-8")
    assert main(["audit", "verify", "--anchors", str(saved)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"strategise: --anchors {saved}: ")
    assert message in err


def test_a_missing_anchors_file_is_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["audit", "verify", "--anchors", str(tmp_path / "none.json")]) == 2
    assert "none.json: cannot be read (No such file or directory)" in capsys.readouterr().err
