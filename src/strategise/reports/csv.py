"""CSV files as spreadsheets open them: every CSV that Strategise hands out goes through here.

Excel reads a CSV file as UTF-8 only when it starts with a byte-order mark; without one it
guesses the local code page and garbles names such as "Zoë" or "Łukasz". The page downloads
and ``strategise export`` both send ``csv_file(text)``.
"""

from __future__ import annotations

BYTE_ORDER_MARK = "\ufeff"


def csv_file(text: str) -> bytes:
    """A CSV document's text as the bytes of a file: UTF-8, starting with a byte-order mark."""
    return (BYTE_ORDER_MARK + text.removeprefix(BYTE_ORDER_MARK)).encode("utf-8")
