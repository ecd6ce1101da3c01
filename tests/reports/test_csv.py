"""Every CSV Strategise hands out is UTF-8 with a byte-order mark, so Excel reads it right."""

from __future__ import annotations

import codecs

from strategise.reports.csv import csv_file


def test_a_csv_file_starts_with_the_utf_8_byte_order_mark() -> None:
    assert csv_file('"Name"\r\n"Zoë"\r\n') == codecs.BOM_UTF8 + '"Name"\r\n"Zoë"\r\n'.encode()


def test_a_csv_file_never_has_two_byte_order_marks() -> None:
    assert csv_file(csv_file('"Name"\r\n').decode("utf-8")).count(codecs.BOM_UTF8) == 1
