"""Importing children and adults from a case system's CSV export, from a page (docs/import.md).

Who may: ``access.may_import_people`` (a head of service or director of the authority's
social care), with a second factor at most 15 minutes old before a file is checked or
imported. The page checks the file (a dry run of ``cases.importing.people_import``) and
lists each row's problems; a good file is kept in the user's session, with its SHA-256,
and the "Import N people" button names that digest, so what is imported is the file that
was checked, never one sent back by the browser. The import checks every row again and
writes nothing unless every row is still good.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

import strategise.cases
from strategise.access import may_import_people
from strategise.cases.importing import (
    ADULT_COLUMNS,
    CHILD_COLUMNS,
    LINK_COLUMNS,
    TYPE,
    ImportReport,
    people_import,
)
from strategise.organisations.models import LocalAuthority, User
from strategise.problems import Problem
from strategise.web.account.verification import require_recent_second_factor, verified_recently
from strategise.web.govuk import GovukForm
from strategise.web.users import current_user

MAX_BYTES = 1024 * 1024
SESSION_KEY = "strategise_people_import"
CHECK_BUTTON = "check"
IMPORT_BUTTON = "import"
# How many problems the error summary lists before pointing to the table of them all.
SUMMARY_PROBLEMS = 10
TEMPLATE = Path(strategise.cases.__file__).resolve().parent / "import-template.csv"


class UploadForm(GovukForm):
    """The export to check."""

    anchors: ClassVar[dict[str, str]] = {"file": "file"}

    file = forms.FileField(required=False)


def _importer(request: HttpRequest) -> User:
    user = current_user(request)
    if not may_import_people(user):
        raise Http404("No such page")
    return user


def _authority(user: User) -> LocalAuthority:
    return LocalAuthority.objects.get(pk=user.local_authority_id or 0)


def file_text(upload: UploadedFile | None) -> tuple[str, str]:
    """The chosen file's name and text; a ``Problem`` on the file field naming what is
    wrong with it (none chosen, not a CSV file, empty, too large, not UTF-8)."""
    if upload is None:
        raise Problem("Choose the CSV file to check", "file")
    name = Path(upload.name or "the file").name
    if not name.lower().endswith(".csv"):
        raise Problem(
            f"{name} is not a CSV file: save the export as CSV UTF-8 (a .csv file) and choose that",
            "file",
        )
    size = upload.size or 0
    if size == 0:
        raise Problem(f"{name} is empty: choose the export with its rows in it", "file")
    if size > MAX_BYTES:
        raise Problem(
            f"{name} is {size / 1024 / 1024:.1f} MB: choose a file of 1 MB or less (split "
            "a larger export into several files, children first)",
            "file",
        )
    raw = upload.read()
    if raw.startswith(b"PK\x03\x04") or b"\x00" in raw:
        raise Problem(
            f"{name} is a spreadsheet or other file, not CSV text: in Excel, choose Save As "
            "and ‘CSV UTF-8 (Comma delimited)’",
            "file",
        )
    try:
        return name, raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Problem(
            f"{name} is not UTF-8 text: in Excel, choose Save As and ‘CSV UTF-8 (Comma delimited)’",
            "file",
        ) from None


def _checked(
    user: User, text: str, name: str, *, dry_run: bool
) -> tuple[ImportReport | None, Problem | None]:
    try:
        report = people_import(
            authority=_authority(user),
            text=text,
            today=timezone.localdate(),
            dry_run=dry_run,
            user=user,
            source=name,
        )
    except csv.Error as error:
        return None, Problem(f"{name} cannot be read as CSV: {error}", "file")
    return report, None


def _page(
    request: HttpRequest,
    form: UploadForm,
    *,
    report: ImportReport | None = None,
    name: str = "",
    digest: str = "",
) -> HttpResponse:
    summary = form.error_summary()
    if report is not None and report.problems:
        count = len(report.problems)
        summary = [
            {
                "text": f"{count} problem{'' if count == 1 else 's'} in {name}: nothing can be "
                "imported until every row is good",
                "href": "#problems",
            },
            *(
                {"text": str(problem), "href": f"#problem-{number}"}
                for number, problem in enumerate(report.problems[:SUMMARY_PROBLEMS], start=1)
            ),
        ]
        if count > SUMMARY_PROBLEMS:
            summary.append(
                {"text": f"and {count - SUMMARY_PROBLEMS} more in the table", "href": "#problems"}
            )
    context: dict[str, Any] = {
        "form": form,
        "errors": form.first_errors(),
        "error_summary": summary,
        "report": report,
        "name": name,
        "digest": digest,
        "people": (report.children + report.adults) if report is not None else 0,
        "verified": verified_recently(request),
        "check_button": CHECK_BUTTON,
        "import_button": IMPORT_BUTTON,
        "columns": {
            "Every row": (TYPE,),
            "A child's row": CHILD_COLUMNS,
            "An adult's row": (*ADULT_COLUMNS, *LINK_COLUMNS),
        },
    }
    response = render(request, "web/children/import.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _posted_to_import(request: HttpRequest) -> bool:
    return request.method == "POST" and (
        CHECK_BUTTON in request.POST or IMPORT_BUTTON in request.POST
    )


@require_http_methods(["GET", "POST"])
@require_recent_second_factor(when=_posted_to_import)
def people_import_page(request: HttpRequest) -> HttpResponse:
    """Choose an export and check it; then import the file checked, or nothing."""
    user = _importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        request.session.pop(SESSION_KEY, None)
        return _page(request, UploadForm())
    if IMPORT_BUTTON in request.POST:
        return _import(request, user)
    request.session.pop(SESSION_KEY, None)
    try:
        name, text = file_text(request.FILES.get("file"))
    except Problem as problem:
        form.is_valid()
        form.add_problem(problem)
        return _page(request, form)
    report, unreadable = _checked(user, text, name, dry_run=True)
    if unreadable is not None or report is None:
        form.is_valid()
        form.add_problem(unreadable or Problem("The file cannot be read", "file"))
        return _page(request, form)
    digest = hashlib.sha256(text.encode()).hexdigest()
    if report.good and report.rows:
        request.session[SESSION_KEY] = {
            "user": user.pk,
            "authority": user.local_authority_id,
            "name": name,
            "sha256": digest,
            "text": text,
        }
    elif report.good:
        form.is_valid()
        form.add_problem(Problem(f"{name} has no rows to import, only its header", "file"))
        return _page(request, form)
    return _page(request, UploadForm(), report=report, name=name, digest=digest)


def _import(request: HttpRequest, user: User) -> HttpResponse:
    kept = request.session.get(SESSION_KEY)
    posted = request.POST.get("sha256", "")
    if (
        not isinstance(kept, dict)
        or kept.get("user") != user.pk
        or kept.get("authority") != user.local_authority_id
        or kept.get("sha256") != posted
    ):
        form = UploadForm()
        form.is_valid()
        form.add_problem(
            Problem(
                "The file checked is no longer waiting to be imported (another was checked "
                "since, or you signed in again): choose it and check it again",
                "file",
            )
        )
        return _page(request, form)
    report, unreadable = _checked(user, kept["text"], kept["name"], dry_run=False)
    if report is None or not report.written:
        # Someone recorded one of its children meanwhile: every row checked again.
        request.session.pop(SESSION_KEY, None)
        form = UploadForm()
        if unreadable is not None:
            form.is_valid()
            form.add_problem(unreadable)
        return _page(request, form, report=report, name=kept["name"], digest=posted)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        f"Imported {report.children} children and {report.adults} adults from {kept['name']}"
        f" ({report.links} links to children)",
    )
    return redirect("web:people-import")


@require_GET
def people_import_template(request: HttpRequest) -> FileResponse:
    """The template of the columns (cases/import-template.csv, beside the importer), to download."""
    if not TEMPLATE.is_file():
        raise Http404("No template")
    return FileResponse(
        TEMPLATE.open("rb"),
        as_attachment=True,
        filename="strategise-import-template.csv",
        content_type="text/csv; charset=utf-8",
    )
