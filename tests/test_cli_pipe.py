"""The ``strategise`` command writing into a pipe whose reader stops early (``| head``):
it stops quietly, with no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FACTS = {
    "profile": "sandwell",
    "identified_at": "2026-03-06T10:15:00",
    "concerns": ["physical_abuse"],
    "children": [{"id": "c1", "date_of_birth": "2015-04-01"}],
}


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(FACTS), encoding="utf-8")
    command = [sys.executable, "-m", "strategise.cli", "triage", str(facts), "--json"]
    # The reader closes the pipe before the command writes: as `| head -0` does.
    reader = subprocess.Popen(["true"], stdin=subprocess.PIPE)  # noqa: S607 - coreutils
    reader.wait()
    assert reader.stdin is not None
    done = subprocess.run(  # noqa: S603 - our own command
        command, stdout=reader.stdin, stderr=subprocess.PIPE, check=False, timeout=60
    )
    reader.stdin.close()
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    assert done.returncode == 1
