"""Run the DfE's CIN census rules (csc-validator-be-cin) over one XML file; print JSON.

Run by the validator's own virtualenv (``.venv-cin``, made by ``make setup``: the validator
needs pandas 1.5, which the project's Python does not have), never imported by the suite:

    .venv-cin/bin/python tests/reports/cin_validator/run_rules.py FILE.xml cin2025_26

Each rule is run as the validator's own ``CinValidator`` runs it (on a deep copy of the
tables), but a rule that raises is reported as such, where the validator would print the
error and count the rule as passed. The JSON is an object:

* ``rules``: how many rules the ruleset has;
* ``broken``: for each rule that found a problem, by code: its message, and where (each
  table and column, with the child IDs affected; an LA-level rule has no location);
* ``crashed``: for each rule that raised, by code, the error;
* ``tables``: how many rows each table of the file has.
"""

from __future__ import annotations

import copy
import importlib
import json
import sys
import xml.etree.ElementTree as ET
from typing import Any

from cin_validator import cin_validator
from cin_validator.rule_engine import RuleContext


def _locations(issues: Any, tables: dict[str, Any]) -> list[dict[str, Any]]:
    """Each (table, column) an issue frame names, with the child IDs of its rows."""
    found: dict[tuple[str, str], set[str]] = {}
    for record in issues.to_dict("records"):
        table, column = record.get("tables_affected"), record.get("columns_affected")
        key = (str(table), str(column))
        children = found.setdefault(key, set())
        data = tables.get(str(table))
        row = record.get("ROW_ID")
        if data is not None and "LAchildID" in data.columns and row is not None:
            try:
                children.add(str(data.iloc[int(row)]["LAchildID"]))
            except (IndexError, ValueError, TypeError):
                children.add(f"row {row}")
    return [
        {"table": table, "column": column, "children": sorted(children)}
        for (table, column), children in sorted(found.items())
    ]


def main(path: str, ruleset: str) -> int:
    root = ET.parse(path).getroot()  # noqa: S314 - the suite's own export
    raw = cin_validator.convert_data(root)
    tables = cin_validator.process_data(raw)
    plain = copy.deepcopy(tables)
    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    enum_tables = cin_validator.enum_keys(tables)
    broken: dict[str, Any] = {}
    crashed: dict[str, str] = {}
    rules = list(registry.values())
    for rule in rules:
        ctx = RuleContext(rule)
        try:
            rule.func(copy.deepcopy(enum_tables), ctx)
        except Exception as error:  # noqa: BLE001 - reported, not hidden
            crashed[str(rule.code)] = f"{type(error).__name__}: {error}"
            continue
        per_type = [
            ctx.type_zero_issues,
            ctx.type_one_issues,
            ctx.type_two_issues,
            ctx.type_three_issues,
        ]
        located = [issues for issues in per_type if len(issues)]
        if located:
            broken[str(rule.code)] = {
                "message": rule.message,
                "where": [place for issues in located for place in _locations(issues, plain)],
            }
        elif len(ctx.la_level_issues):
            broken[str(rule.code)] = {"message": rule.message, "where": []}
    print(
        json.dumps(
            {
                "rules": len(rules),
                "broken": broken,
                "crashed": crashed,
                "tables": {name: len(table) for name, table in plain.items()},
            },
            indent=2,
            sort_keys=True,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
