"""National identifiers of a child or adult, and how to tell a mistyped one.

Not a local procedure's rules but national ones, the same everywhere:

* the NHS number: ten digits, the last a modulus 11 check digit (NHS Data Dictionary,
  "NHS Number");
* the unique pupil number (UPN): thirteen characters, the first a check letter worked out
  from the other twelve (DfE, "Unique pupil numbers (UPN): guidance for schools and local
  authorities", Annex: the check letter algorithm).

Each ``*_problem`` answers what is wrong, completing "The NHS number ..." (or "The unique
pupil number ..."), or None. ``*_normalised`` is how the number is stored: what was typed
without the spaces (and, for a UPN, in capitals) that people type to group it.
"""

from __future__ import annotations

NHS_NUMBER_LENGTH = 10
UPN_LENGTH = 13
# The UPN's check letters, by value: the alphabet without I, O and S (easily misread).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def nhs_number_normalised(text: str) -> str:
    """An NHS number as stored: its digits, without the spaces or hyphens typed between
    the groups of three, three and four."""
    return "".join(text.split()).replace("-", "")


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The check digit the first nine digits call for, or None where none can be right
    (the remainder leaves 10: no NHS number starts with those nine digits)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs_number_problem(text: str) -> str | None:
    """What is wrong with ``text`` as an NHS number (spaces allowed), or None."""
    number = nhs_number_normalised(text)
    if not (number.isascii() and number.isdigit()):
        return "must contain only numbers, like 943 476 5919"
    if len(number) != NHS_NUMBER_LENGTH:
        return f"must be {NHS_NUMBER_LENGTH} digits long: it has {len(number)}"
    if nhs_number_check_digit(number[:9]) != int(number[9]):
        return "is not a real NHS number: check each digit (its last digit does not match)"
    return None


def nhs_number_shown(number: str) -> str:
    """An NHS number as it is printed: in groups of three, three and four."""
    if len(number) != NHS_NUMBER_LENGTH:
        return number
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def upn_normalised(text: str) -> str:
    """A UPN as stored: in capitals, without spaces."""
    return "".join(text.split()).upper()


def upn_check_letter(last_twelve: str) -> str:
    """The check letter for a UPN's characters 2 to 13: each multiplied by its position
    (2 to 13; a letter in the 13th place counts its value in ``UPN_LETTERS``), the sum
    divided by 23, the remainder's letter."""
    total = 0
    for position, character in enumerate(last_twelve, start=2):
        value = UPN_LETTERS.index(character) if character.isalpha() else int(character)
        total += value * position
    return UPN_LETTERS[total % 23]


def upn_problem(text: str) -> str | None:
    """What is wrong with ``text`` as a unique pupil number, or None."""
    upn = upn_normalised(text)
    if len(upn) != UPN_LENGTH:
        return f"must be {UPN_LENGTH} characters long: it has {len(upn)}"
    first, middle, last = upn[0], upn[1:12], upn[12]
    if first not in UPN_LETTERS:
        return "must start with its check letter (any letter but I, O and S)"
    if not (middle.isascii() and middle.isdigit()):
        return "must have numbers only from its 2nd to its 12th character"
    if not ((last.isascii() and last.isdigit()) or last in UPN_LETTERS):
        return "must end with a number, or a letter other than I, O and S (a temporary UPN)"
    if upn_check_letter(upn[1:]) != first:
        return "is not a real UPN: check each character (its check letter does not match)"
    return None
