"""Mutation testing of the policy package against its own tests (`make mutate-policy`).

mutmut reads one ``[tool.mutmut]`` table, from the ``pyproject.toml`` where it runs, and
runs each mutant against every test that reached the mutated function. The project's
table mutates the access rules, recording and clocks against the Django tests; the policy
is reached by almost every Django test, so against those a run would take days. This
runs mutmut in ``var/mutate-policy/`` (the source and tests linked in, results kept
there between runs) with the table ``[tool.strategise.mutate-policy]`` of pyproject.toml
as its ``[tool.mutmut]``: the policy's mutants against ``tests/policy`` only.

    scripts/mutate_policy.py [--max-children N] [MUTANT_NAMES ...]
    scripts/mutate_policy.py results
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutate-policy"


def _toml_value(value: Any) -> str:
    """A string, list of strings or number in TOML (JSON's spelling of these is TOML's)."""
    return json.dumps(value)


def _pyproject(project: dict[str, Any]) -> str:
    """The pytest settings of the project and the policy's mutmut table, as TOML."""
    tables = {
        "tool.pytest.ini_options": project["tool"]["pytest"]["ini_options"],
        "tool.mutmut": project["tool"]["strategise"]["mutate-policy"],
    }
    lines = ["# Written by scripts/mutate_policy.py from the project's pyproject.toml."]
    for name, table in tables.items():
        lines += ["", f"[{name}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    WORK.mkdir(parents=True, exist_ok=True)
    for name in ("src", "tests"):
        link = WORK / name
        if not link.is_symlink():
            link.symlink_to(Path("..") / ".." / name)
    (WORK / "pyproject.toml").write_text(_pyproject(project), "utf-8")
    mutmut = str(Path(sys.executable).parent / "mutmut")
    command = argv if argv[:1] in (["results"], ["show"], ["browse"]) else ["run", *argv]
    # Our own command line, in our own directory.
    raise SystemExit(subprocess.call([mutmut, *command], cwd=WORK))  # noqa: S603


if __name__ == "__main__":
    main(sys.argv[1:])
