"""The ``strategise`` command.

``profiles``, ``triage`` and ``clocks`` speak the contract in
``shared/design/triage-contract.md``: exit status 0 on success, 2 on bad input with the
message on standard error; with ``--json`` only the JSON goes to standard output.
``audit verify``, ``audit anchor`` and ``export`` work on the database the settings point at.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, MutableMapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

from strategise.policy import FactsError, ProfileError, check_profile_file, clocks, list_profiles
from strategise.policy import triage as run_triage
from strategise.policy.facts import echo, facts_from_json
from strategise.policy.triage import resolve_profile
from strategise.policy.wording import clocks_summary, triage_summary

BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(BAD_INPUT, f"strategise: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="strategise", description="Strategise: strategy discussions.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    profiles = commands.add_parser("profiles", help="list profiles, or check a profile file")
    profiles.add_argument("action", nargs="?", choices=["check"], help="check a profile file")
    profiles.add_argument("file", nargs="?", type=Path, help="the profile file to check")
    profiles.add_argument("--json", action="store_true", help="print JSON")

    triage = commands.add_parser("triage", help="triage the facts of a request")
    triage.add_argument("facts", help="a JSON file of facts, or - for standard input")
    triage.add_argument("--json", action="store_true", help="print the contract's JSON only")

    clock = commands.add_parser("clocks", help="the clocks that start when a discussion is held")
    clock.add_argument("--profile", required=True)
    clock.add_argument("--identified-at", required=True, help="when concerns were identified")
    clock.add_argument("--held-at", required=True, help="when the discussion was held")
    clock.add_argument("--section-47", action="store_true", help="a section 47 enquiry starts")
    clock.add_argument("--complex", action="store_true", help="it was a complex discussion")
    hours = clock.add_mutually_exclusive_group()
    hours.add_argument("--out-of-hours", dest="out_of_hours", action="store_true", default=None)
    hours.add_argument("--in-hours", dest="out_of_hours", action="store_false")
    clock.add_argument("--json", action="store_true", help="print the contract's JSON only")

    audit = commands.add_parser("audit", help="check the audit log, or print its chains' heads")
    audit.add_argument(
        "action",
        choices=["verify", "anchor"],
        help="verify: recompute every chain with the audit key; anchor: print each chain's head",
    )
    audit.add_argument("--json", action="store_true", help="anchor: print JSON")
    audit.add_argument(
        "--anchors",
        type=Path,
        metavar="FILE",
        help="verify: also check the heads saved earlier by `strategise audit anchor --json`",
    )

    export = commands.add_parser("export", help="write a statutory return to standard output")
    export.add_argument(
        "what",
        choices=["cin-census", "annex-a"],
        help="the CIN census's Section 47 module (XML) or Ofsted's Annex A list (CSV)",
    )
    export.add_argument(
        "--year",
        metavar="YYYY",
        help="a census year, by the year it ends: 2026 is 1 April 2025 to 31 March 2026",
    )
    export.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="or from this date")
    export.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="to this date (included)")
    export.add_argument(
        "--authority", metavar="SLUG", help="the local authority, if there is more than one"
    )
    return parser


# What ``make run`` leaves in a checkout: the development database beside manage.py.
DEVELOPMENT_DATABASE = Path("var") / "strategise.sqlite3"


def _use_development_settings(environ: MutableMapping[str, str], here: Path) -> bool:
    """Whether to run as ``make run`` serves the site (``DJANGO_DEBUG=1``): when nothing
    chooses the settings, the secret key, debugging or the database, and ``here`` is a
    checkout that ``make run`` has set up."""
    chosen = ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL")
    if any(environ.get(name) for name in chosen):
        return False
    return (here / "manage.py").is_file() and (here / DEVELOPMENT_DATABASE).is_file()


def _setup_django() -> str | None:
    """Set Django up on the database the settings point at; a one-line problem if it cannot."""
    import django
    from django.core.exceptions import ImproperlyConfigured

    if _use_development_settings(os.environ, Path.cwd()):
        os.environ["DJANGO_DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategise.config.settings")
    try:
        django.setup()
    except ImproperlyConfigured as error:
        if "DJANGO_SECRET_KEY" in str(error):
            return (
                "DJANGO_SECRET_KEY is not set: set it (and DATABASE_URL) as the site has them, "
                f"or run this in the checkout after make run, which keeps {DEVELOPMENT_DATABASE}"
            )
        return str(error)
    return None


def _on_the_database(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command that reads the database: set Django up, and say in one line why not."""
    problem = _setup_django()
    if problem is not None:
        return _fail(problem)
    from django.db import DatabaseError

    try:
        return command(args)
    except DatabaseError as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return _fail(
            f"the database cannot be read ({reason}): run make run (or manage.py migrate) "
            "first, or set DATABASE_URL to the site's database"
        )


def _audit(args: argparse.Namespace) -> int:
    """Verify the audit chains, or print their heads, in the database the settings name."""
    from django.core.exceptions import ImproperlyConfigured

    from strategise.audit.verification import (
        AnchorsError,
        audit_anchors,
        audit_check_anchors,
        audit_verify,
    )

    if args.action == "anchor":
        anchors = audit_anchors()
        if args.json:
            print(json.dumps([anchor.as_dict() for anchor in anchors], indent=2))
            return 0
        for anchor in anchors:
            at = anchor.at.isoformat() if anchor.at else "-"
            print(
                f"{anchor.chain} sequence={anchor.sequence} event={anchor.event_id or '-'} "
                f"hash={anchor.hash} at={at}"
            )
        return 0
    saved: object = None
    if args.anchors is not None:
        try:
            saved = json.loads(args.anchors.read_text(encoding="utf-8"))
        except OSError as error:
            return _fail(f"--anchors {args.anchors}: cannot be read ({error.strerror})")
        except json.JSONDecodeError as error:
            return _fail(f"--anchors {args.anchors}: is not valid JSON ({error})")
    try:
        report = audit_verify()
        moved = [] if args.anchors is None else audit_check_anchors(saved)
    except ImproperlyConfigured as error:
        return _fail(str(error))
    except AnchorsError as error:
        return _fail(f"--anchors {args.anchors}: {error}")
    for chain in report.broken:
        where = f" at event {chain.event_id}" if chain.event_id is not None else ""
        if chain.wrong_key:
            print(
                f"Audit key wrong for chain {chain.chain}{where}: {chain.problem}. "
                "Set STRATEGISE_AUDIT_KEY to the key that sealed the audit log.",
                file=sys.stderr,
            )
        else:
            print(
                f"Audit log broken in chain {chain.chain}{where}: {chain.problem} "
                f"({chain.checked} events fit before it).",
                file=sys.stderr,
            )
    for problem in moved:
        print(f"Audit log does not match its anchors: {problem}.", file=sys.stderr)
    if report.broken or moved:
        return 1
    against = f"; {_count(len(saved), 'anchor')} still match" if isinstance(saved, list) else ""
    print(
        f"Audit log intact: {_count(report.checked, 'event')} checked in "
        f"{_count(len(report.chains), 'chain')}{against}."
    )
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _export_period(args: argparse.Namespace) -> tuple[date, date] | str:
    """The period asked for (``--year``, or ``--from`` and ``--to``), or what is wrong."""
    if args.year is not None:
        if args.first is not None or args.last is not None:
            return "give either --year or --from and --to, not both"
        year = args.year.strip()
        if not (len(year) == 4 and year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100):
            return f"--year: must be a census year like 2026 (got {echo(args.year)})"
        return date(int(year) - 1, 4, 1), date(int(year), 3, 31)
    if args.first is None or args.last is None:
        return "give the census year with --year 2026, or the dates with --from and --to"
    dates: list[date] = []
    for option, value in (("--from", args.first), ("--to", args.last)):
        try:
            dates.append(date.fromisoformat(value))
        except ValueError:
            return (
                f"{option}: must be a date written YYYY-MM-DD, like 2025-04-01 (got {echo(value)})"
            )
    first, last = dates
    if last < first:
        return f"--to {last} is before --from {first}: the period cannot end before it starts"
    return first, last


def _export(args: argparse.Namespace) -> int:
    """Check the period, then write the return (before the database is touched)."""
    asked = _export_period(args)
    if isinstance(asked, str):
        return _fail(asked)
    args.first, args.last = asked
    return _on_the_database(_export_return, args)


def _export_return(args: argparse.Namespace) -> int:
    """Write a statutory return for one authority's section 47 enquiries in a period."""
    from strategise.organisations.models import LocalAuthority
    from strategise.problems import Problem
    from strategise.reports.csv import csv_file
    from strategise.reports.exports import annex_a_csv, cin_census_xml
    from strategise.reports.period import Period
    from strategise.reports.returns import census_year_of, returns_enquiries

    authorities = {authority.slug: authority for authority in LocalAuthority.objects.all()}
    slugs = ", ".join(sorted(authorities))
    if not authorities:
        return _fail("there are no local authorities in the database")
    if args.authority is not None:
        if args.authority not in authorities:
            return _fail(
                f"--authority: there is no authority {echo(args.authority)}; there are: {slugs}"
            )
        authority = authorities[args.authority]
    elif len(authorities) == 1:
        (authority,) = authorities.values()
    else:
        return _fail(
            f"there are {len(authorities)} authorities; choose one with --authority: {slugs}"
        )
    period = Period(args.first, args.last)
    try:
        enquiries = returns_enquiries(
            authority=authority, period=period, user=None, purpose=args.what
        )
    except Problem as problem:
        return _fail("\nstrategise: ".join(message for _, message in problem.errors))
    if args.what == "cin-census":
        document = cin_census_xml(year=census_year_of(period), enquiries=enquiries)
    else:
        document = csv_file(annex_a_csv(period=period, enquiries=enquiries))
    sys.stdout.flush()
    sys.stdout.buffer.write(document)
    sys.stdout.buffer.flush()
    return 0


def _fail(message: str) -> int:
    print(f"strategise: {message}", file=sys.stderr)
    return BAD_INPUT


def _read_facts(name: str, stdin: TextIO) -> Any:
    try:
        text = stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as error:
        raise FactsError([f"{name}: cannot be read ({error.strerror})"]) from None
    except UnicodeDecodeError:
        raise FactsError([f"{name}: is not UTF-8 text, so it cannot be JSON"]) from None
    return facts_from_json(text, name)


def _profiles(args: argparse.Namespace) -> int:
    if args.action == "check":
        if args.file is None:
            return _fail("profiles check: name the profile file to check")
        try:
            profile = check_profile_file(args.file)
        except RecursionError:
            return _fail(f"{args.file}: is nested too deeply to be a profile")
        count = sum(len(rules) for rules in profile.rules.values())
        print(f"{args.file}: profile {profile.name!r} is valid ({count} rules).")
        return 0
    profiles = list_profiles()
    if args.json:
        listing = [
            {"name": p.name, "title": p.title, "source": p.source_file, "version": p.version}
            for p in profiles
        ]
        print(json.dumps(listing, indent=2, ensure_ascii=False))
    else:
        for p in profiles:
            print(
                f"{p.name:<16} {p.title}\n{'':<16} cited as: {p.short_title}; "
                f"source: {p.source_file}"
            )
    return 0


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "profiles":
            return _profiles(args)
        if args.command == "audit":
            return _on_the_database(_audit, args)
        if args.command == "export":
            return _export(args)
        if args.command == "triage":
            answer = run_triage(_read_facts(args.facts, stdin or sys.stdin)).to_dict()
            summary = triage_summary
        else:
            answer = clocks(
                profile=args.profile,
                identified_at=args.identified_at,
                held_at=args.held_at,
                section_47=args.section_47,
                out_of_hours=args.out_of_hours,
                discussion_type="complex" if args.complex else "standard",
            ).to_dict()
            summary = clocks_summary
    except FactsError as error:
        return _fail("\n".join(error.problems))
    except ProfileError as error:
        return _fail(str(error))
    try:
        if args.json:
            print(json.dumps(answer, indent=2, ensure_ascii=False))
        else:
            print(summary(answer, resolve_profile(answer["profile"]).title))
        sys.stdout.flush()
    except BrokenPipeError:
        # Whoever reads the answer stopped reading (``| head``): no traceback. Python's own
        # advice: point standard output at /dev/null so the flush at exit cannot fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
