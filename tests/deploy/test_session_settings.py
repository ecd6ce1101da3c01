"""The session limits and the lockout are settings: whole numbers above 0, and anything
else is refused at start-up with the variable named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.support import run_python

PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "a-long-random-production-key"}
PRINT = (
    "import strategise.config.settings as s; print(s.STRATEGISE_SESSION_IDLE_MINUTES, "
    "s.SESSION_COOKIE_AGE, s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
)


def test_the_defaults_and_a_chosen_value(tmp_path: Path) -> None:
    assert run_python(["-c", PRINT], PRODUCTION, tmp_path).stdout.strip() == "30 43200 5 0:15:00"
    chosen = PRODUCTION | {
        "STRATEGISE_SESSION_IDLE_MINUTES": "10",
        "STRATEGISE_SESSION_MAX_HOURS": "8",
        "STRATEGISE_LOCKOUT_FAILURES": "3",
        "STRATEGISE_LOCKOUT_MINUTES": "30",
    }
    assert run_python(["-c", PRINT], chosen, tmp_path).stdout.strip() == "10 28800 3 0:30:00"


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_a_limit_that_is_not_above_0_is_named(tmp_path: Path, value: str) -> None:
    result = run_python(
        ["-c", PRINT], PRODUCTION | {"STRATEGISE_LOCKOUT_FAILURES": value}, tmp_path
    )
    assert result.returncode != 0
    assert (
        f"STRATEGISE_LOCKOUT_FAILURES must be a whole number above 0, not {value!r}"
    ) in result.stderr
