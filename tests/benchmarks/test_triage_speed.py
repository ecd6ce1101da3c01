"""How many triages one core answers per second (target: at least 20,000 a second).

``make bench`` runs these; the figure is the OPS column (1 / mean) of the typical request. A typical
request: two siblings, two concerns, a referrer, two flags, on the largest profile.
"""

from __future__ import annotations

from typing import Any

from strategise.policy import clocks, triage

TYPICAL_REQUEST = {
    "profile": "sandwell",
    "identified_at": "2026-03-06T10:15:00",
    "concerns": ["physical_abuse", "neglect"],
    "children": [
        {"id": "c1", "date_of_birth": "2019-04-01", "household": "h1"},
        {"id": "c2", "date_of_birth": "2021-06-01", "household": "h1", "education": "pre_school"},
    ],
    "alleged_perpetrators": [{"position_of_trust": False}],
    "referrer": "school",
    "flags": {"serious_harm": True, "parental_domestic_abuse": True},
}

COMPLEX_REQUEST = {
    "profile": "bristol",
    "identified_at": "2026-12-24T16:45:00",
    "concerns": ["child_sexual_exploitation", "organised_abuse", "missing"],
    "children": [{"household": f"h{n}", "date_of_birth": "2010-05-01"} for n in range(4)],
    "alleged_perpetrators": [{"position_of_trust": True}, {}],
    "referrer": "police",
    "flags": {"immediate_risk": True, "chair_has_specialist_expertise": True},
}


def test_triage_typical_request(benchmark: Any) -> None:
    triage(TYPICAL_REQUEST)  # load the profiles once, as a running service already has
    answer = benchmark(lambda: triage(TYPICAL_REQUEST).to_dict())
    assert answer["hold_by"] == "2026-03-06T23:59:59+00:00"


def test_triage_complex_request(benchmark: Any) -> None:
    answer = benchmark(lambda: triage(COMPLEX_REQUEST).to_dict())
    assert answer["discussion_type"] == "complex"


def test_clocks_after_a_discussion(benchmark: Any) -> None:
    answer = benchmark(
        lambda: clocks(
            profile="sandwell",
            identified_at="2026-03-06T10:15:00",
            held_at="2026-03-06T15:00:00",
            section_47=True,
        ).to_dict()
    )
    assert answer["clocks"]


def test_triage_command_from_a_cold_start(benchmark: Any, tmp_path: Any) -> None:
    """One request answered by ``strategise triage`` in a new process (target: under 0.3 s).

    A new process each round: Python's start, the imports, reading the one profile the
    request names (and its parents) and its bank holidays, then the answer.
    """
    import json
    import subprocess
    import sys

    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(TYPICAL_REQUEST))
    command = [sys.executable, "-m", "strategise.cli", "triage", str(facts), "--json"]

    def answer() -> dict[str, Any]:
        done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
        return json.loads(done.stdout)

    result = benchmark.pedantic(answer, rounds=10, warmup_rounds=1)
    assert result["hold_by"] == "2026-03-06T23:59:59+00:00"
