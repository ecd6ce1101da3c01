"""Write the triage snapshot of every realistic case, for a person to review.

Each ``tests/policy/cases/<profile>/<case>.json`` holds the facts of a case; this writes
its answer to ``tests/policy/snapshots/<profile>/<case>.json``. Run it after changing a
profile, read each changed snapshot against the procedure (``git diff``), and commit
those that are right. The tests only compare; they never write their own expected
answers.

    .venv/bin/python scripts/generate_snapshots.py [PROFILE ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from strategise.policy import triage

POLICY_TESTS = Path(__file__).resolve().parent.parent / "tests" / "policy"


def snapshot_of(case: Path) -> dict[str, Any]:
    """The answer a case is reviewed against: the triage, without the profile's version
    (it carries a digest of the profile file, which changes with any edit)."""
    answer = triage(json.loads(case.read_text())).to_dict()
    return {key: value for key, value in answer.items() if key != "profile_version"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profiles", nargs="*", help="only these profiles (default: all)")
    chosen = set(parser.parse_args(argv).profiles)
    cases = sorted((POLICY_TESTS / "cases").glob("*/*.json"))
    unknown = chosen - {case.parent.name for case in cases}
    if unknown:
        parser.error(f"no cases for {', '.join(sorted(unknown))} in tests/policy/cases/")
    cases = [case for case in cases if not chosen or case.parent.name in chosen]
    written = 0
    for case in cases:
        snapshot = POLICY_TESTS / "snapshots" / case.parent.name / case.name
        text = json.dumps(snapshot_of(case), indent=2, ensure_ascii=False) + "\n"
        if not snapshot.exists() or snapshot.read_text() != text:
            snapshot.parent.mkdir(parents=True, exist_ok=True)
            snapshot.write_text(text)
            print(f"wrote {snapshot.relative_to(POLICY_TESTS.parent.parent)}")
            written += 1
    print(f"{written} snapshot(s) changed of {len(cases)} case(s): review them before committing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
