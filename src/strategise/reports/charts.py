"""Bar charts drawn on the server as SVG: no JavaScript, readable without colour.

Each chart is an image with a title and a description that says every number in words
(``role="img"`` with ``<title>`` and ``<desc>``); every bar is labelled in text, and the
same figures are in a table beneath it on the page. Colours are from the GOV.UK palette,
each at least 3:1 against white (WCAG 2.2, 1.4.11), and stacked parts are separated by a
white gap. Only presentation attributes are used: the site's content security policy
allows no inline styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from markupsafe import Markup

from strategise.reports.figures.actions import ActionCompletion
from strategise.reports.figures.attendance import AgencyAttendance
from strategise.reports.figures.clocks import IcpcTimeliness, MinutesTimeliness
from strategise.reports.figures.outcomes import DecisionOutcomes
from strategise.reports.figures.reconvening import Reconvening
from strategise.reports.figures.section_47 import Section47Conversion
from strategise.reports.figures.timeliness import DiscussionTimeliness
from strategise.reports.tables import Figure, Timeliness

BLUE = "#1d70b8"
PURPLE = "#4c2c92"
RED = "#d4351c"
DARK_GREY = "#505a5f"
TEXT = "#0b0c0c"
PALETTE = (BLUE, PURPLE, RED, DARK_GREY)

WIDTH = 640
LABEL_HEIGHT = 24
BAR_HEIGHT = 24
GAP = 14
VALUE_SPACE = 170
# The service's font (``$govuk-font-family`` in application.scss), at the body text's size.
FONT_FAMILY = "arial, sans-serif"
FONT_SIZE = "19"
CHARACTER_WIDTH = 11


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Bar:
    """One bar: its label, one value per series, and the words written at its end."""

    label: str
    values: tuple[float, ...]
    text: str


def _text(parent: ET.Element, x: float, y: float, words: str, **attributes: str) -> None:
    element = ET.SubElement(
        parent,
        "text",
        {"x": f"{x:g}", "y": f"{y:g}", "font-size": FONT_SIZE, "fill": TEXT, **attributes},
    )
    element.text = words


def describe(series: Sequence[Series], bars: Sequence[Bar]) -> str:
    """Every bar in words: ``"Police: 9 attended, 1 did not (90.0%)."``."""
    if not bars:
        return "There is nothing to show for this period."
    sentences = []
    for bar in bars:
        if len(series) == 1:
            sentences.append(f"{bar.label}: {bar.text}.")
        else:
            parts = ", ".join(
                f"{value:g} {part.name.lower()}"
                for part, value in zip(series, bar.values, strict=True)
            )
            sentences.append(f"{bar.label}: {parts} ({bar.text}).")
    return " ".join(sentences)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    series: Sequence[Series],
    bars: Sequence[Bar],
    maximum: float | None = None,
) -> Markup:
    """Horizontal bars, one per category, each stacked from its series' values.

    The label is written above each bar and ``text`` at its end; a legend names the
    series when there is more than one. ``maximum`` fixes the scale (100 for percentages).
    """
    largest = max((sum(bar.values) for bar in bars), default=0)
    scale_to = maximum or largest or 1
    plot_width = WIDTH - VALUE_SPACE
    legend_height = (LABEL_HEIGHT + GAP) if len(series) > 1 else 0
    row_height = LABEL_HEIGHT + BAR_HEIGHT + GAP
    height = legend_height + row_height * max(len(bars), 1)
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "app-chart",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": "100%",
            "preserveAspectRatio": "xMinYMin meet",
            "focusable": "false",
            "font-family": FONT_FAMILY,
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = describe(series, bars)
    if len(series) > 1:
        x = 0.0
        for part in series:
            ET.SubElement(
                svg,
                "rect",
                {"x": f"{x:g}", "y": "2", "width": "16", "height": "16", "fill": part.colour},
            )
            _text(svg, x + 22, 16, part.name)
            x += 22 + CHARACTER_WIDTH * len(part.name) + 24
    if not bars:
        _text(svg, 0, legend_height + LABEL_HEIGHT, "Nothing to show for this period")
    for index, bar in enumerate(bars):
        top = legend_height + index * row_height
        _text(svg, 0, top + LABEL_HEIGHT - 5, bar.label)
        bar_top = top + LABEL_HEIGHT
        x = 0.0
        for part, value in zip(series, bar.values, strict=True):
            width = plot_width * value / scale_to
            if width <= 0:
                continue
            ET.SubElement(
                svg,
                "rect",
                {
                    "x": f"{x:.1f}",
                    "y": f"{bar_top:g}",
                    "width": f"{width:.1f}",
                    "height": f"{BAR_HEIGHT}",
                    "fill": part.colour,
                    "stroke": "#ffffff",
                    "stroke-width": "1",
                },
            )
            x += width
        _text(svg, x + 8, bar_top + BAR_HEIGHT - 6, bar.text)
    return Markup(ET.tostring(svg, encoding="unicode"))  # noqa: S704 - built by ElementTree, text escaped


# --- a chart for each figure -------------------------------------------------------------

TIMELINESS_SERIES = (Series("On time", BLUE), Series("Late", PURPLE), Series("Overdue", RED))


def _on_time_bar(label: str, counts: Timeliness) -> Bar:
    if counts.rate is not None:
        words = f"{100 * counts.rate:.1f}% on time"
    else:
        words = "none due yet" if counts.not_yet_due else "none"
    return Bar(label, (counts.on_time, counts.late, counts.overdue), words)


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "no data"


def _timeliness_chart(figure: DiscussionTimeliness) -> Markup:
    return bar_chart(
        chart_id="chart-timeliness",
        title=figure.title,
        series=TIMELINESS_SERIES,
        bars=[_on_time_bar(row.rule.capitalize(), row.counts) for row in figure.rules],
    )


def _attendance_chart(figure: AgencyAttendance) -> Markup:
    return bar_chart(
        chart_id="chart-attendance",
        title=f"{figure.title}: attendance rate",
        series=(Series("Attendance rate", BLUE),),
        bars=[
            Bar(
                label,
                (100 * row.attended / row.required,),
                f"{row.attended} of {row.required} ({_share(row.attended, row.required)})",
            )
            for label, row in (
                *((row.label, row) for row in figure.agencies),
                ("All required agencies", figure.overall),
            )
            if row.required
        ],
        maximum=100,
    )


def _outcomes_chart(figure: DecisionOutcomes) -> Markup:
    return bar_chart(
        chart_id="chart-outcomes",
        title=figure.title,
        series=(Series("Children", BLUE),),
        bars=[
            Bar(figure.label(outcome), (count,), f"{count} ({_share(count, figure.total)})")
            for outcome, count in figure.counts
        ],
    )


def _section_47_chart(figure: Section47Conversion) -> Markup:
    children = figure.children
    return bar_chart(
        chart_id="chart-section-47",
        title=f"{figure.title}: share of the {children} children discussed",
        series=(Series("Share of children discussed", BLUE),),
        bars=[
            Bar(
                label,
                (100 * count / children if children else 0,),
                f"{count} ({_share(count, children)})",
            )
            for label, count in figure.counts()
        ],
        maximum=100,
    )


def _clock_chart(chart_id: str, title: str, figure: IcpcTimeliness | MinutesTimeliness) -> Markup:
    clocks = (figure.clock,) if isinstance(figure, IcpcTimeliness) else figure.clocks
    return bar_chart(
        chart_id=chart_id,
        title=title,
        series=TIMELINESS_SERIES,
        bars=[_on_time_bar(clock.label, clock.counts) for clock in clocks],
    )


def _actions_chart(figure: ActionCompletion) -> Markup:
    return bar_chart(
        chart_id="chart-actions",
        title=figure.title,
        series=TIMELINESS_SERIES,
        bars=[_on_time_bar("Actions due", figure.counts)],
    )


def _reconvening_chart(figure: Reconvening) -> Markup:
    return bar_chart(
        chart_id="chart-reconvening",
        title=f"{figure.title}: days between a discussion and its reconvened one",
        series=(Series("Reconvened discussions", BLUE),),
        bars=[Bar(band, (count,), str(count)) for band, count in figure.bands()],
    )


def chart_for(figure: Figure) -> Markup:
    """The chart that goes with a figure."""
    if isinstance(figure, DiscussionTimeliness):
        return _timeliness_chart(figure)
    if isinstance(figure, AgencyAttendance):
        return _attendance_chart(figure)
    if isinstance(figure, DecisionOutcomes):
        return _outcomes_chart(figure)
    if isinstance(figure, Section47Conversion):
        return _section_47_chart(figure)
    if isinstance(figure, IcpcTimeliness):
        return _clock_chart("chart-icpc", figure.title, figure)
    if isinstance(figure, MinutesTimeliness):
        return _clock_chart("chart-minutes", figure.title, figure)
    if isinstance(figure, ActionCompletion):
        return _actions_chart(figure)
    if isinstance(figure, Reconvening):
        return _reconvening_chart(figure)
    raise TypeError(f"no chart for {type(figure).__name__}")
