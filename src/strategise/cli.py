"""The ``strategise`` command.

``profiles``, ``triage`` and ``clocks`` speak the contract in
``shared/design/triage-contract.md``: exit status 0 on success, 2 on bad input with the
message on standard error; with ``--json`` only the JSON goes to standard output.
``audit verify`` and ``export`` work on the database the settings point at.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

from strategise.policy import FactsError, ProfileError, check_profile_file, clocks, list_profiles
from strategise.policy import triage as run_triage
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

    audit = commands.add_parser("audit", help="check the audit log")
    audit.add_argument("action", choices=["verify"], help="recompute the hash chain")

    export = commands.add_parser("export", help="write a statutory return to standard output")
    export.add_argument(
        "what",
        choices=["cin-census", "annex-a"],
        help="the CIN census's Section 47 module (XML) or Ofsted's Annex A list (CSV)",
    )
    export.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    export.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    export.add_argument(
        "--authority", metavar="SLUG", help="the local authority, if there is more than one"
    )
    return parser


def _audit(args: argparse.Namespace) -> int:
    """Verify the audit chain in the database the settings point at."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategise.config.settings")
    django.setup()
    from strategise.audit.services import audit_verify

    report = audit_verify()
    if report.intact:
        print(f"Audit log intact: {report.checked} events checked.")
        return 0
    where = f" at event {report.event_id}" if report.event_id is not None else ""
    print(
        f"Audit log broken{where}: {report.problem} ({report.checked} events fit before it).",
        file=sys.stderr,
    )
    return 1


def _export(args: argparse.Namespace) -> int:
    """Write a statutory return for one authority's section 47 enquiries in a period."""
    dates: list[date] = []
    for option, value in (("--from", args.first), ("--to", args.last)):
        try:
            dates.append(date.fromisoformat(value))
        except ValueError:
            return _fail(
                f"{option}: must be a date written YYYY-MM-DD, like 2025-04-01 (got {value!r})"
            )
    first, last = dates
    if last < first:
        return _fail(
            f"--to {last} is before --from {first}: the period cannot end before it starts"
        )
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategise.config.settings")
    django.setup()
    from strategise.organisations.models import LocalAuthority
    from strategise.reports.exports import annex_a_csv, cin_census_xml
    from strategise.reports.period import Period
    from strategise.reports.returns import returns_enquiries

    authorities = {authority.slug: authority for authority in LocalAuthority.objects.all()}
    slugs = ", ".join(sorted(authorities))
    if not authorities:
        return _fail("there are no local authorities in the database")
    if args.authority is not None:
        if args.authority not in authorities:
            return _fail(
                f"--authority: there is no authority {args.authority!r}; there are: {slugs}"
            )
        authority = authorities[args.authority]
    elif len(authorities) == 1:
        (authority,) = authorities.values()
    else:
        return _fail(
            f"there are {len(authorities)} authorities; choose one with --authority: {slugs}"
        )
    period = Period(first, last)
    enquiries = returns_enquiries(authority=authority, period=period, user=None, purpose=args.what)
    if args.what == "cin-census":
        sys.stdout.write(cin_census_xml(period=period, enquiries=enquiries).decode("utf-8"))
    else:
        sys.stdout.write(annex_a_csv(period=period, enquiries=enquiries))
    return 0


def _fail(message: str) -> int:
    print(f"strategise: {message}", file=sys.stderr)
    return BAD_INPUT


def _read_facts(name: str, stdin: TextIO) -> Any:
    try:
        text = stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as error:
        raise FactsError([f"{name}: cannot be read ({error.strerror})"]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FactsError([f"{name}: is not valid JSON ({error})"]) from None


def _profiles(args: argparse.Namespace) -> int:
    if args.action == "check":
        if args.file is None:
            return _fail("profiles check: name the profile file to check")
        profile = check_profile_file(args.file)
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
            return _audit(args)
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
    if args.json:
        print(json.dumps(answer, indent=2, ensure_ascii=False))
    else:
        print(summary(answer, resolve_profile(answer["profile"]).title))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
