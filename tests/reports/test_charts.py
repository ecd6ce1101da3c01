"""The SVG bar charts: accessible images, readable without colour, no script or styles."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree as ET

import pytest

from strategise.organisations.models import LocalAuthority
from strategise.reports.charts import (
    BLUE,
    PALETTE,
    TEXT,
    Bar,
    Series,
    bar_chart,
    chart_for,
)
from strategise.reports.period import Period
from strategise.reports.selectors import performance_report
from tests.reports.support import at

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    """Our own chart, made in the test."""
    return ET.fromstring(markup)  # noqa: S314


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


@pytest.mark.parametrize("colour", PALETTE)
def test_every_bar_colour_has_3_to_1_contrast_with_the_page(colour: str) -> None:
    assert _contrast_with_white(colour) >= 3


def test_text_has_4_5_to_1_contrast() -> None:
    assert _contrast_with_white(TEXT) >= 4.5


def _two_bars() -> ET.Element:
    return _parse(
        bar_chart(
            chart_id="chart-test",
            title="Attendance",
            series=(Series("Attended", BLUE), Series("Absent", PALETTE[2])),
            bars=[Bar("Police", (9, 1), "90.0%"), Bar("Health", (3, 2), "60.0%")],
        )
    )


def test_a_chart_is_an_image_named_by_its_title_and_description() -> None:
    svg = _two_bars()
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-test-title chart-test-desc"
    assert svg.findtext(f"{SVG}title") == "Attendance"
    assert svg.find(f"{SVG}title").get("id") == "chart-test-title"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").get("id") == "chart-test-desc"  # type: ignore[union-attr]


def test_the_description_says_every_number() -> None:
    assert _two_bars().findtext(f"{SVG}desc") == (
        "Police: 9 attended, 1 absent (90.0%). Health: 3 attended, 2 absent (60.0%)."
    )


def test_every_bar_and_series_is_labelled_in_text() -> None:
    words = [text.text for text in _two_bars().iter(f"{SVG}text")]
    assert words == ["Attended", "Absent", "Police", "90.0%", "Health", "60.0%"]


def test_bars_are_to_scale() -> None:
    widths = [float(rect.get("width", 0)) for rect in _two_bars().iter(f"{SVG}rect")][2:]
    police_attended, police_absent, health_attended, health_absent = widths
    assert police_attended == pytest.approx(9 * police_absent, rel=0.01)
    assert police_attended + police_absent == pytest.approx(2 * (health_attended + health_absent))


def test_no_script_and_no_inline_style() -> None:
    svg = _two_bars()
    assert not list(svg.iter(f"{SVG}script"))
    assert all("style" not in element.attrib for element in svg.iter())


def test_an_empty_chart_says_there_is_nothing_to_show() -> None:
    svg = _parse(bar_chart(chart_id="empty", title="Nothing", series=(Series("A", BLUE),), bars=[]))
    assert svg.findtext(f"{SVG}desc") == "There is nothing to show for this period."
    assert [text.text for text in svg.iter(f"{SVG}text")] == ["Nothing to show for this period"]


def test_labels_are_escaped() -> None:
    svg = bar_chart(
        chart_id="x", title="<b>", series=(Series("A", BLUE),), bars=[Bar("<i>&", (1,), "1")]
    )
    assert "<i>" not in svg and "&lt;i&gt;&amp;" in svg


@pytest.mark.django_db
def test_each_figure_has_its_own_chart(authority: LocalAuthority) -> None:
    report = performance_report(
        authority=authority, period=Period(date(2026, 4, 1), date(2026, 4, 30)), now=at(30)
    )
    charts = {slug: _parse(chart_for(figure)) for slug, figure in report.figures.items()}
    assert [svg.get("aria-labelledby") for svg in charts.values()] == [
        f"chart-{slug}-title chart-{slug}-desc" for slug in report.figures
    ]


def test_a_figure_without_a_chart_is_an_error() -> None:
    with pytest.raises(TypeError, match="no chart for str"):
        chart_for("not a figure")  # type: ignore[arg-type]
