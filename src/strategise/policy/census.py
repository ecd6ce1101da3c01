"""The DfE children in need (CIN) census's codes and rules for a child's identifiers.

Not a local procedure's rules but the Department for Education's, the same everywhere:
its ``<Sex>`` and ``<Ethnicity>`` code sets, and what an ``<LAchildID>`` may be. The rule
numbers are those of the DfE's CIN census validation rules (2025 to 2026).
"""

from __future__ import annotations

import re

# <Sex> (N00783), from the 2024 to 2025 census: rule 4180 "Sex must be provided and equal
# M, F, or U"; rule 8750 "Sex must equal U for an unborn child".
SEXES: dict[str, str] = {
    "F": "Female",
    "M": "Male",
    "U": "Not known",
}
SEX_NOT_KNOWN = "U"

# <Ethnicity> (N00177), rule 4220 "Ethnicity is missing or invalid". In the order of the
# DfE's code set, which Ofsted's Annex A letters (a to t) follow.
ETHNICITIES: dict[str, str] = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background",
    "WROM": "Gypsy or Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Caribbean",
    "BAFR": "African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}
ETHNICITY_NOT_OBTAINED = "NOBT"

# <LAchildID> (N00097): rule 8500 "LA Child ID missing", rule 1580 "must not contain any
# non-alphanumeric characters" and, as the census's XML schema has long had it, at most
# 10 characters (rule 1570 allows 20 from 2024 to 2025; 10 fits every year's census).
CHILD_ID_LENGTH = 10
CHILD_ID_RULE = f"letters and digits only, at most {CHILD_ID_LENGTH} characters"
_LETTERS_AND_DIGITS = re.compile(r"[A-Za-z0-9]+")


def child_id_problem(reference: str) -> str | None:
    """What is wrong with ``reference`` as the census's ``<LAchildID>``, or None if nothing.

    The answer completes "The local case reference ...".
    """
    if not reference:
        return "is missing"
    if not _LETTERS_AND_DIGITS.fullmatch(reference):
        return f"must be {CHILD_ID_RULE}: no spaces, hyphens or other characters"
    if len(reference) > CHILD_ID_LENGTH:
        return f"must be {CHILD_ID_LENGTH} characters or fewer"
    return None
