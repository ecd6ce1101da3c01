"""The reports and returns pages: who may see them, the period form, the downloads."""

from __future__ import annotations

import codecs
import csv
import io
import re
from datetime import datetime
from xml.etree import ElementTree as ET

import pytest
import time_machine
from django.test import Client

from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.clocks.models import ClockState
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.policy import LONDON
from strategise.reports.selectors import FIGURES, performance_report
from tests.factories import UserFactory
from tests.reports.columns import ANNEX_A_COLUMNS
from tests.reports.support import APRIL_2026, at, clock_row, decision_row, held_discussion
from tests.web.pages import error_summary, text

pytestmark = pytest.mark.django_db

APRIL = {
    "from_day": "1",
    "from_month": "4",
    "from_year": "2026",
    "to_day": "30",
    "to_month": "4",
    "to_year": "2026",
}
REPORT_PAGES = ("/reports/", "/reports/figures/outcomes.csv")
RETURN_PAGES = (
    "/reports/returns/",
    "/reports/returns/cin-census.xml",
    "/reports/returns/annex-a.csv",
)


@pytest.fixture
def head_of_service(authority: LocalAuthority) -> User:
    return UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.HEAD_OF_SERVICE
    )


@pytest.fixture
def april(authority: LocalAuthority, social_worker: User, team_manager: User) -> None:
    """One discussion held on 1 April 2026: a joint section 47 enquiry, ICPC held 17 April."""
    discussion = held_discussion(authority, social_worker, team_manager, at(1))
    decision_row(discussion, discussion.request.children.get(), "s47_joint", ("recommend_icpc",))
    clock_row(discussion, "icpc_held", at(24, 23, 59), ClockState.MET, at(17))


def _signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "reports", "returns"),
    [
        ("analyst", 200, 404),
        ("team_manager", 200, 200),
        ("head_of_service", 200, 200),
        ("social_worker", 404, 404),
        ("police_officer", 404, 404),
        ("health_practitioner", 404, 404),
        ("administrator", 404, 404),
    ],
)
def test_who_may_see_reports_and_returns(
    client: Client, request: pytest.FixtureRequest, who: str, reports: int, returns: int
) -> None:
    """Analysts see figures, never the child-level returns; managers see both; others neither."""
    _signed_in(client, request.getfixturevalue(who))
    for path in REPORT_PAGES:
        assert client.get(path, APRIL).status_code == reports, path
    for path in RETURN_PAGES:
        assert client.get(path, APRIL).status_code == returns, path


@pytest.mark.parametrize("path", REPORT_PAGES + RETURN_PAGES)
def test_signing_in_comes_first(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_reports_show_each_figure_as_chart_table_and_csv_link(
    client: Client, analyst: User, april: None
) -> None:
    html = _signed_in(client, analyst).get("/reports/", APRIL).content.decode()
    assert "Figures for 1 April 2026 to 30 April 2026." in html
    assert html.count('role="img"') == 8
    assert html.count('<table class="govuk-table') == 8
    assert html.count("/reports/figures/") == 8
    assert (
        'href="/reports/figures/outcomes.csv?from_day=1&amp;from_month=4&amp;from_year=2026'
        '&amp;to_day=30&amp;to_month=4&amp;to_year=2026"' in html
    )
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_each_figure_says_beside_it_how_it_is_counted(
    client: Client, analyst: User, authority: LocalAuthority, april: None
) -> None:
    """Each figure's definition (its module's ``definition``) is in the figure's section."""
    html = _signed_in(client, analyst).get("/reports/", APRIL).content.decode()
    figures = performance_report(authority=authority, period=APRIL_2026, now=at(30)).figures
    assert list(figures) == list(FIGURES)
    for slug, figure in figures.items():
        section = html.split(f'id="{slug}"', 1)[1].split("</section>", 1)[0]
        assert figure.definition in text(section), slug
    timeliness = html.split('id="timeliness"', 1)[1].split("</section>", 1)[0]
    assert "Requests for a strategy discussion raised in these dates" in text(timeliness)


@pytest.mark.parametrize(("who", "linked"), [("team_manager", True), ("analyst", False)])
def test_the_returns_are_linked_for_those_who_may_download_them(
    client: Client, request: pytest.FixtureRequest, who: str, linked: bool
) -> None:
    html = _signed_in(client, request.getfixturevalue(who)).get("/reports/").content.decode()
    assert ('href="/reports/returns/"' in html) is linked


def test_reports_figures_are_the_users_authoritys_only(
    client: Client, april: None, other_authority_social_worker: User
) -> None:
    manager = UserFactory.create(
        agency=other_authority_social_worker.agency, role=Role.TEAM_MANAGER
    )
    html = _signed_in(client, manager).get("/reports/figures/outcomes.csv", APRIL).content
    rows = list(csv.reader(io.StringIO(html.decode())))
    assert rows[-1] == ["All decisions", "0", "No data"]


@time_machine.travel(datetime(2026, 11, 23, 12, tzinfo=LONDON), tick=False)
def test_reports_default_to_the_reporting_year_so_far(client: Client, analyst: User) -> None:
    html = _signed_in(client, analyst).get("/reports/").content.decode()
    assert "Figures for 1 April 2026 to 23 November 2026." in html
    assert 'name="from_day" type="text" value="1"' in html


@pytest.mark.parametrize(
    ("changes", "message", "anchor"),
    [
        ({"from_day": ""}, "The start date must include a day", "#from-day"),
        ({"to_month": "13"}, "The end date must be a real date", "#to-day"),
        ({"to_month": "3"}, "The end date must be the same as or after the start date", "#to-day"),
    ],
)
def test_a_bad_period_is_explained_beside_its_field(
    client: Client, analyst: User, changes: dict[str, str], message: str, anchor: str
) -> None:
    response = _signed_in(client, analyst).get("/reports/", {**APRIL, **changes})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(message) == 2  # in the summary, and beside the date
    assert f'href="{anchor}"' in html
    assert f'id="{anchor[1:]}"' in html
    assert "Figures for" not in html


def test_a_figure_downloads_as_csv_and_is_audited(
    client: Client, analyst: User, april: None
) -> None:
    response = _signed_in(client, analyst).get("/reports/figures/section-47.csv", APRIL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="strategise-section-47-2026-04-01-to-2026-04-30.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(codecs.BOM_UTF8), "Excel reads UTF-8 only after a BOM"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Children discussed", "Children", "Share of children discussed"]
    assert rows[1] == ["Section 47 enquiry", "1", "100.0%"]
    event = AuditEvent.objects.get(action="download-figure")
    assert (event.user_id, event.detail["figure"]) == (analyst.pk, "section-47")


def test_an_unknown_figure_is_not_found(client: Client, analyst: User) -> None:
    assert (
        _signed_in(client, analyst).get("/reports/figures/nonsense.csv", APRIL).status_code == 404
    )


def test_a_csv_with_a_bad_period_shows_the_page_with_the_error(
    client: Client, analyst: User
) -> None:
    response = _signed_in(client, analyst).get(
        "/reports/figures/outcomes.csv", {**APRIL, "to_year": "26"}
    )
    assert response["Content-Type"].startswith("text/html")
    assert "The year must include 4 numbers" in response.content.decode()


def test_viewing_the_report_is_audited(client: Client, analyst: User) -> None:
    _signed_in(client, analyst).get("/reports/", APRIL)
    event = AuditEvent.objects.get(action="view-report")
    assert event.detail == {"from": "2026-04-01", "to": "2026-04-30"}


@time_machine.travel(datetime(2026, 11, 23, 12, tzinfo=LONDON), tick=False)
def test_returns_page_defaults_to_the_last_census_year(client: Client, team_manager: User) -> None:
    html = _signed_in(client, team_manager).get("/reports/returns/").content.decode()
    assert 'name="from_year" type="text" value="2025"' in html
    assert 'name="to_year" type="text" value="2026"' in html
    assert 'formaction="/reports/returns/cin-census.xml"' in html
    assert 'formaction="/reports/returns/annex-a.csv"' in html


def test_cin_census_download(client: Client, team_manager: User, april: None) -> None:
    response = _signed_in(client, team_manager).get("/reports/returns/cin-census.xml", APRIL)
    assert response["Content-Type"] == "application/xml"
    assert "cin-census-section-47-2026-04-01-to-2026-04-30.xml" in response["Content-Disposition"]
    message = ET.fromstring(response.content)  # noqa: S314 - our own XML, made in this test
    assert message.findtext("Children/Child/CINdetails/Section47/DateOfInitialCPC") == "2026-04-17"
    event = AuditEvent.objects.get(action="export-return")
    assert event.detail["return"] == "cin-census"
    assert len(event.child_ids) == 1


def test_annex_a_download(client: Client, team_manager: User, april: None) -> None:
    response = _signed_in(client, team_manager).get("/reports/returns/annex-a.csv", APRIL)
    assert response.content.startswith(codecs.BOM_UTF8), "Excel reads UTF-8 only after a BOM"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == ANNEX_A_COLUMNS
    assert len(rows) == 2


def test_a_return_with_a_bad_period_shows_the_returns_page_with_the_error(
    client: Client, team_manager: User
) -> None:
    response = _signed_in(client, team_manager).get(
        "/reports/returns/annex-a.csv", {**APRIL, "from_day": "31", "from_month": "2"}
    )
    html = response.content.decode()
    assert "Statutory returns" in html
    assert "The start date must be a real date" in html
    assert not AuditEvent.objects.filter(action="export-return").exists()


def test_the_cin_census_across_two_census_years_says_so_beside_the_end_date(
    client: Client, team_manager: User, april: None
) -> None:
    response = _signed_in(client, team_manager).get(
        "/reports/returns/cin-census.xml", {**APRIL, "from_month": "3"}
    )
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert error_summary(html) == [
        (
            "The CIN census is for one census year, 1 April to 31 March, and 1 March 2026 to "
            "30 April 2026 is in more than one: choose dates within one census year",
            "to-day",
        )
    ]
    assert not AuditEvent.objects.filter(action="export-return").exists()


def test_a_return_names_each_child_whose_reference_will_not_do(
    client: Client, team_manager: User, april: None
) -> None:
    child = Child.objects.get()
    Child.objects.filter(pk=child.pk).update(local_reference="B70-1001")
    response = _signed_in(client, team_manager).get("/reports/returns/annex-a.csv", APRIL)
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    summary = text(html.split('class="govuk-error-summary"')[1].split("</ul>")[0])
    assert (
        f"The local case reference of {child.full_name} (child {child.pk}) must be letters and "
        "digits only" in summary
    )
    assert not AuditEvent.objects.filter(action="export-return").exists()


def test_page_ids_are_unique(client: Client, team_manager: User, april: None) -> None:
    html = _signed_in(client, team_manager).get("/reports/", APRIL).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_every_labelledby_names_an_element_on_the_page(
    client: Client, team_manager: User, april: None
) -> None:
    html = _signed_in(client, team_manager).get("/reports/", APRIL).content.decode()
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    for value in re.findall(r'aria-labelledby="([^"]+)"', html):
        assert set(value.split()) <= ids
