"""Every ``strategise`` command the README shows works as typed, after ``make run``.

A copy of a checkout (``manage.py`` and ``.venv`` linked in) gets what ``make run`` leaves:
``var/strategise.sqlite3`` migrated, with the demo data. Each command then runs in a shell
there with none of the settings variables set, as in a new terminal.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from strategise.cli import _use_development_settings
from strategise.reports.exports import ANNEX_A_HEADERS

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SETTINGS_VARIABLES = ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL")


def readme_commands() -> list[str]:
    """The ``.venv/bin/strategise`` commands the README shows, in code blocks or inline."""
    text = README.read_text(encoding="utf-8")
    lines = re.findall(r"^(\.venv/bin/strategise [^#\n]*)", text, flags=re.MULTILINE)
    inline = re.findall(r"`(\.venv/bin/strategise [^`]*)`", text)
    return sorted({command.strip() for command in lines + inline})


def _shell_environment(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return {**environment, **extra}


def _run(command: str, where: Path, **extra: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # noqa: S603 - our own commands, from our own README
        ["/bin/bash", "-c", command],
        cwd=where,
        env=_shell_environment(**extra),
        capture_output=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkout as ``make run`` leaves it: migrated, with the demo data loaded."""
    where = tmp_path_factory.mktemp("checkout")
    for name in ("manage.py", ".venv"):
        (where / name).symlink_to(ROOT / name)
    for step in ("migrate --no-input", "demo"):
        done = _run(f".venv/bin/python manage.py {step}", where, DJANGO_DEBUG="1")
        assert done.returncode == 0, done.stderr.decode()
    assert (where / "var" / "strategise.sqlite3").is_file()
    return where


def test_the_readme_shows_the_database_commands() -> None:
    commands = " | ".join(readme_commands())
    assert "strategise export cin-census" in commands
    assert "strategise export annex-a" in commands
    assert "strategise audit verify" in commands


@pytest.mark.parametrize("command", readme_commands())
def test_each_readme_command_works_as_typed_after_make_run(checkout: Path, command: str) -> None:
    done = _run(command, checkout)
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    if "cin-census" in command:
        message = ET.fromstring(done.stdout)  # noqa: S314 - our own XML
        assert message.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    elif "annex-a" in command:
        assert done.stdout.startswith(codecs.BOM_UTF8), "Excel reads UTF-8 only after a BOM"
        rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8-sig"))))
        assert tuple(rows[0]) == ANNEX_A_HEADERS
    elif "audit anchor" in command:
        heads = done.stdout.decode().splitlines()
        assert heads, "one line per audit chain"
        assert all(
            re.fullmatch(r"\S+ sequence=\d+ event=\S+ hash=[0-9a-f]{64} at=\S+", head)
            for head in heads
        ), heads
    else:
        assert done.stdout.decode().startswith("Audit log intact: ")


def test_outside_a_checkout_the_command_says_in_one_line_what_to_set(tmp_path: Path) -> None:
    done = _run(".venv/bin/strategise audit verify".replace(".venv", str(ROOT / ".venv")), tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "strategise: DJANGO_SECRET_KEY is not set: set it (and DATABASE_URL) as the site has "
        "them, or run this in the checkout after make run, which keeps var/strategise.sqlite3"
    ]


def test_a_database_that_was_never_set_up_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    command = f"{ROOT}/.venv/bin/strategise export annex-a --from 2026-04-01 --to 2026-04-30"
    done = _run(command, tmp_path, DJANGO_DEBUG="1")
    assert done.returncode == 2
    (line,) = done.stderr.decode().splitlines()
    assert line.startswith("strategise: the database cannot be read (no such table: ")
    assert line.endswith(
        "run make run (or manage.py migrate) first, or set DATABASE_URL to the site's database"
    )


@pytest.mark.parametrize("chosen", SETTINGS_VARIABLES)
def test_development_settings_only_when_nothing_else_is_chosen(checkout: Path, chosen: str) -> None:
    assert _use_development_settings({}, checkout) is True
    assert _use_development_settings({chosen: "x"}, checkout) is False


def test_development_settings_only_in_a_checkout_that_make_run_set_up(tmp_path: Path) -> None:
    (tmp_path / "manage.py").touch()
    assert _use_development_settings({}, tmp_path) is False
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "strategise.sqlite3").touch()
    assert _use_development_settings({}, tmp_path) is True
