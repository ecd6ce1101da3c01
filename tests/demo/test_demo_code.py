"""``manage.py demo_code``: the code the demo's shared authenticator-app secret shows now."""

from __future__ import annotations

from base64 import b32decode
from datetime import datetime
from io import StringIO

import time_machine
from django.core.management import call_command

from strategise.demo.second_factor import (
    DEMO_TOTP_KEY,
    DEMO_TOTP_SECRET,
    demo_code,
)
from strategise.policy import LONDON

# RFC 6238's own reckoning: 30-second steps from the Unix epoch.
AT = datetime(2026, 6, 3, 9, 0, 10, tzinfo=LONDON)


def test_the_published_secret_is_what_the_demo_devices_hold() -> None:
    assert len(DEMO_TOTP_SECRET) == 32
    assert bytes.fromhex(DEMO_TOTP_KEY) == b32decode(DEMO_TOTP_SECRET)


def test_the_code_changes_every_30_seconds() -> None:
    step = int(AT.timestamp()) // 30 * 30
    start = datetime.fromtimestamp(step, LONDON)
    same = datetime.fromtimestamp(step + 29, LONDON)
    later = datetime.fromtimestamp(step + 30, LONDON)
    assert demo_code(start) == demo_code(same) != demo_code(later)
    assert len(demo_code(AT)) == 6 and demo_code(AT).isdigit()


@time_machine.travel(AT, tick=False)
def test_the_command_prints_the_code_and_how_long_it_lasts() -> None:
    out = StringIO()
    call_command("demo_code", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == demo_code(AT)
    assert "It lasts another 20 seconds" in lines[1]
    assert DEMO_TOTP_SECRET in lines[2]


@time_machine.travel(AT, tick=False)
def test_the_quiet_command_prints_the_code_alone() -> None:
    out = StringIO()
    call_command("demo_code", "--quiet", stdout=out)
    assert out.getvalue() == f"{demo_code(AT)}\n"
