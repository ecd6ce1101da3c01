"""Files to download: a figure as CSV, and the two statutory returns.

* CSV: every cell quoted, and a cell that a spreadsheet would read as a formula (one
  starting ``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with a single
  quote, as OWASP's "CSV injection" guidance advises.
* The DfE children in need (CIN) census: its ``Section47`` module, in the census's XML
  (``Message/Header/CollectionDetails`` then ``Children/Child`` with ``ChildIdentifiers``,
  ``ChildCharacteristics`` and ``CINdetails/Section47``), element names and order as in
  the DfE's CIN census XML schema; ``<Sex>`` (F, M, U) as from the 2024 to 2025 census.
  Strategise holds the section 47 enquiries only; referrals, assessments and plans come
  from the authority's case management system, whose return this module joins.
* Ofsted's Annex A list of section 47 enquiries and ICPCs (list 5 of the Annex A
  template), with its column headings and lettered answers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import groupby
from xml.etree import ElementTree as ET

from strategise.policy import census
from strategise.reports.period import Period
from strategise.reports.returns import Section47Enquiry
from strategise.reports.tables import Cell, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Cell | None) -> str:
    """A cell's text, defused if a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Cell | None]]) -> str:
    """A CSV document: a heading row, then the rows, every cell quoted and defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow([csv_cell(name) for name in headers])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def table_csv(table: Table) -> str:
    """A figure's table, total row included, as CSV."""
    return csv_text(table.headers, table.all_rows())


# --- the codes both returns use ---------------------------------------------------------


def ethnicity_code(code: str) -> str:
    """The census's ``<Ethnicity>``: the child's code, or ``NOBT`` (information not yet
    obtained) if none is recorded."""
    return code or census.ETHNICITY_NOT_OBTAINED


def sex_code(code: str, *, unborn: bool) -> str:
    """The census's ``<Sex>``: the child's code; ``U`` (not known) if none is recorded, and
    always for an unborn baby (DfE rule 8750)."""
    return census.SEX_NOT_KNOWN if unborn or not code else code


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# --- the CIN census --------------------------------------------------------------------


def _element(parent: ET.Element, name: str, text: str | None) -> None:
    """A child element with text; nothing when there is no value (optional items)."""
    if text is not None:
        ET.SubElement(parent, name).text = text


def cin_census_xml(*, year: int, enquiries: Sequence[Section47Enquiry]) -> bytes:
    """The census's Section 47 module for the enquiries (sorted by child), UTF-8 XML, for
    census year ``year`` (1 April of the year before to 31 March of ``year``, its
    reference date: DfE rule 100)."""
    message = ET.Element("Message")
    message.append(
        ET.Comment(
            " Section 47 enquiries from Strategise, to join the authority's children in need "
            "census return. "
        )
    )
    header = ET.SubElement(message, "Header")
    details = ET.SubElement(header, "CollectionDetails")
    _element(details, "Collection", "CIN")
    _element(details, "Year", str(year))
    _element(details, "ReferenceDate", date(year, 3, 31).isoformat())
    children = ET.SubElement(message, "Children")
    for _, group in groupby(enquiries, key=lambda enquiry: enquiry.child_pk):
        child_enquiries = list(group)
        first = child_enquiries[0]
        child = ET.SubElement(children, "Child")
        identifiers = ET.SubElement(child, "ChildIdentifiers")
        _element(identifiers, "LAchildID", first.child_id)
        _element(
            identifiers, "PersonBirthDate", None if first.unborn else _iso(first.date_of_birth)
        )
        _element(
            identifiers,
            "ExpectedPersonBirthDate",
            _iso(first.expected_date) if first.unborn else None,
        )
        _element(identifiers, "Sex", sex_code(first.sex, unborn=first.unborn))
        characteristics = ET.SubElement(child, "ChildCharacteristics")
        _element(characteristics, "Ethnicity", ethnicity_code(first.ethnicity))
        details = ET.SubElement(child, "CINdetails")
        for enquiry in child_enquiries:
            section_47 = ET.SubElement(details, "Section47")
            _element(section_47, "S47ActualStartDate", enquiry.started.isoformat())
            _element(section_47, "InitialCPCtarget", enquiry.icpc_target.isoformat())
            _element(section_47, "DateOfInitialCPC", _iso(enquiry.icpc_date))
            _element(section_47, "ICPCnotRequired", str(enquiry.icpc_not_required).lower())
    ET.indent(message)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(message) + b"\n"


# --- Ofsted's Annex A ------------------------------------------------------------------

ANNEX_A_HEADERS = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "Number of Section 47 Enquiries in the last 12 months",
    "Number of ICPCs in the last 12 months",
    "Allocated Team",
    "Allocated Worker",
)
_LETTERS = "abcdefghijklmnopqrst"
_NO_DISABILITY = {"none", "no", "no disability"}


_ANNEX_A_GENDERS = {"M": "a) Male", "F": "b) Female"}


def annex_a_gender(sex: str) -> str:
    """Annex A's gender, from the census's sex code: not known is "not stated/recorded"."""
    return _ANNEX_A_GENDERS.get(sex, "c) Not stated/recorded")


def annex_a_ethnicity(code: str) -> str:
    """Annex A's ethnicity: the census code, lettered in the code set's order (a to t)."""
    code = ethnicity_code(code)
    return f"{_LETTERS[list(census.ETHNICITIES).index(code)]}) {code}"


def annex_a_disability(text: str) -> str:
    value = text.strip().lower()
    if not value:
        return "c) Unknown"
    return "b) No" if value in _NO_DISABILITY else "a) Yes"


def _annex_date(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def age_in_years(born: date | None, on: date) -> int | None:
    if born is None or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def annex_a_csv(*, period: Period, enquiries: Sequence[Section47Enquiry]) -> str:
    """Annex A list 5, one row per enquiry; ages are on the period's last day. Whether the
    ICPC led to a plan is the conference's to record, so that column is left blank."""
    rows = [
        (
            enquiry.child_id,
            annex_a_gender(sex_code(enquiry.sex, unborn=enquiry.unborn)),
            annex_a_ethnicity(enquiry.ethnicity),
            _annex_date(None if enquiry.unborn else enquiry.date_of_birth),
            age_in_years(None if enquiry.unborn else enquiry.date_of_birth, period.last),
            annex_a_disability(enquiry.disability),
            _annex_date(enquiry.started),
            "a) Yes" if enquiry.icpc_not_required else "b) No",
            _annex_date(enquiry.icpc_date),
            "",
            enquiry.enquiries_last_12_months,
            enquiry.icpcs_last_12_months,
            enquiry.team,
            enquiry.worker,
        )
        for enquiry in enquiries
    ]
    return csv_text(ANNEX_A_HEADERS, rows)
