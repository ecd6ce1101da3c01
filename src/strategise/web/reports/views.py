"""The reports and returns pages, and their downloads.

Views parse the period, call one selector and render; who may see what is decided in
``strategise.access`` and enforced by the selectors.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from strategise.access import may_download_returns, may_see_reports
from strategise.organisations.models import User
from strategise.problems import Problem
from strategise.reports.charts import chart_for
from strategise.reports.csv import csv_file
from strategise.reports.exports import annex_a_csv, cin_census_xml, table_csv
from strategise.reports.period import Period
from strategise.reports.returns import census_year_of
from strategise.reports.selectors import FIGURES, enquiries_for, figure_for, report_for
from strategise.web.account.verification import require_recent_second_factor
from strategise.web.govuk import date_input_items
from strategise.web.reports.forms import PeriodForm


def _user(request: HttpRequest, allowed: Any) -> User:
    """The signed-in user, if ``allowed(user)``; anyone else is told there is no such page."""
    user = request.user
    if not isinstance(user, User) or not allowed(user):
        raise Http404("No such page")
    return user


def _form_context(form: PeriodForm) -> dict[str, Any]:
    errors = form.first_errors()
    return {
        "form": form,
        "errors": errors,
        "error_summary": form.error_summary(),
        "from_items": date_input_items(form, "from", bool(errors.get("from"))),
        "to_items": date_input_items(form, "to", bool(errors.get("to"))),
    }


def _query(period: Period) -> str:
    """The query string that asks for ``period`` again (for the CSV links)."""
    return urlencode(
        {
            f"{end}_{part}": getattr(day, part)
            for end, day in (("from", period.first), ("to", period.last))
            for part in ("day", "month", "year")
        }
    )


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@never_cache
def performance(request: HttpRequest) -> HttpResponse:
    """Each figure for a period, as a chart, a table and a CSV download."""
    user = _user(request, may_see_reports)
    now = timezone.now()
    form = PeriodForm(request.GET, default=Period.year_to_date(timezone.localdate(now)))
    period = form.period()
    report = report_for(user=user, period=period, now=now) if period else None
    figures = (
        [
            {"slug": slug, "figure": figure, "chart": chart_for(figure), "table": figure.table()}
            for slug, figure in report.figures.items()
        ]
        if report
        else []
    )
    return render(
        request,
        "web/reports/performance.html",
        {
            **_form_context(form),
            "report": report,
            "figures": figures,
            "may_download_returns": may_download_returns(user),
            "period_query": _query(period) if period else "",
        },
    )


@require_GET
@never_cache
def figure_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One figure's table as CSV."""
    user = _user(request, may_see_reports)
    if slug not in FIGURES:
        raise Http404("No such figure")
    now = timezone.now()
    form = PeriodForm(request.GET, default=Period.year_to_date(timezone.localdate(now)))
    period = form.period()
    if period is None:
        return performance(request)
    figure = figure_for(user=user, slug=slug, period=period, now=now)
    return _download(
        csv_file(table_csv(figure.table())),
        "text/csv; charset=utf-8",
        f"strategise-{slug}-{period.slug()}.csv",
    )


def _returns_form(request: HttpRequest) -> PeriodForm:
    return PeriodForm(request.GET, default=Period.last_census_year(timezone.localdate()))


def _returns_page(request: HttpRequest, form: PeriodForm) -> HttpResponse:
    return render(request, "web/reports/returns.html", _form_context(form))


@require_GET
@never_cache
def returns(request: HttpRequest) -> HttpResponse:
    """Choose a period, then download the CIN census module or the Annex A list."""
    _user(request, may_download_returns)
    form = _returns_form(request)
    form.period()
    return _returns_page(request, form)


@require_GET
@never_cache
@require_recent_second_factor
def cin_census(request: HttpRequest) -> HttpResponse:
    """The CIN census's Section 47 module for the period (within one census year), as XML."""
    user = _user(request, may_download_returns)
    form = _returns_form(request)
    period = form.period()
    if period is None:
        return _returns_page(request, form)
    try:
        enquiries = enquiries_for(user=user, period=period, purpose="cin-census")
    except Problem as problem:
        form.add_problem(problem)
        return _returns_page(request, form)
    return _download(
        cin_census_xml(year=census_year_of(period), enquiries=enquiries),
        "application/xml",
        f"cin-census-section-47-{period.slug()}.xml",
    )


@require_GET
@never_cache
@require_recent_second_factor
def annex_a(request: HttpRequest) -> HttpResponse:
    """Ofsted's Annex A list of section 47 enquiries and ICPCs for the period, as CSV."""
    user = _user(request, may_download_returns)
    form = _returns_form(request)
    period = form.period()
    if period is None:
        return _returns_page(request, form)
    try:
        enquiries = enquiries_for(user=user, period=period, purpose="annex-a")
    except Problem as problem:
        form.add_problem(problem)
        return _returns_page(request, form)
    return _download(
        csv_file(annex_a_csv(period=period, enquiries=enquiries)),
        "text/csv; charset=utf-8",
        f"annex-a-section-47-{period.slug()}.csv",
    )
