"""The import page: a head of service or director of social care checks an export (every
row's problems listed, nothing written), then imports the very file checked, all or
nothing, after a fresh second factor; anyone else is not found."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from strategise.access import may_import_people
from strategise.audit.models import AuditEvent
from strategise.cases.importing import COLUMNS
from strategise.cases.models import Adult, Child
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.web.children.importing import SESSION_KEY
from tests.factories import ChildFactory, UserFactory
from tests.second_factor import VerifiedClient, age_second_factor

pytestmark = pytest.mark.django_db

PAGE = "/children/import/"
HEADER = "type,first_name,last_name,date_of_birth,local_reference,child_reference,relationship\n"
GOOD = (
    HEADER
    + "child,Amara,Okafor,2016-04-12,MOS0001,,\nadult,Grace,Okafor,1988-01-30,,MOS0001,parent\n"
)
BAD = HEADER + (
    "child,Amara,Okafor,2016-04-12,MOS0001,,\n"
    "child,Leo,,31/02/2019,MOS0001,,\n"
    "adult,Grace,Okafor,1988-01-30,,MOS9999,parent\n"
)


def _csv(text: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _words(response: object) -> str:
    page = html.unescape(response.content.decode())  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def head_of_service(authority: LocalAuthority) -> User:
    return UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.HEAD_OF_SERVICE
    )


@pytest.fixture
def importer(client: VerifiedClient, head_of_service: User) -> VerifiedClient:
    client.force_login(head_of_service)
    return client


def _check(client: Client, text: str, name: str = "people.csv") -> object:
    return client.post(PAGE, {"file": _csv(text, name), "check": ""})


def test_who_may_import(
    head_of_service: User,
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    administrator: User,
    analyst: User,
    police_officer: User,
) -> None:
    director = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.DIRECTOR
    )
    assert may_import_people(head_of_service) and may_import_people(director)
    for user in (social_worker, team_manager, administrator, analyst, police_officer):
        assert not may_import_people(user), user.role
    head_of_service.is_active = False
    assert not may_import_people(head_of_service)


def test_anyone_else_is_not_found(client: VerifiedClient, administrator: User) -> None:
    client.force_login(administrator)
    assert client.get(PAGE).status_code == 404
    assert _check(client, GOOD).status_code == 404  # type: ignore[attr-defined]
    assert not Child.objects.exists()


def test_a_good_file_is_checked_then_imported_all_at_once(
    importer: VerifiedClient, head_of_service: User
) -> None:
    page = importer.get(PAGE)
    words = _words(page)
    assert page["Cache-Control"] == "no-store"
    assert "template (CSV, two children and two adults)" in words
    template = importer.get("/children/import/template.csv")
    assert template.status_code == 200
    assert b"".join(template.streaming_content).startswith(b"type,first_name,last_name")  # type: ignore[attr-defined]

    checked = _check(importer, GOOD)
    words = _words(checked)
    assert "people.csv: every row is good" in words
    assert "Import 2 people" in words
    assert not Child.objects.exists() and not Adult.objects.exists()
    check = AuditEvent.objects.get(action="people-import-check")
    assert check.user == head_of_service and check.detail["rows"] == 2
    digest = re.search(r'name="sha256" value="([0-9a-f]{64})"', checked.content.decode())  # type: ignore[attr-defined]
    assert digest is not None

    done = importer.post(PAGE, {"sha256": digest.group(1), "import": ""}, follow=True)
    assert "Imported 1 children and 1 adults from people.csv" in _words(done)
    child = Child.objects.get()
    assert (child.local_reference, child.local_authority_id) == (
        "MOS0001",
        head_of_service.local_authority_id,
    )
    assert Adult.objects.get().child_links.get().child == child
    summary = AuditEvent.objects.get(action="people-import")
    assert summary.user == head_of_service and summary.child_ids == [child.pk]
    assert summary.detail["sha256"] == digest.group(1)
    assert AuditEvent.objects.filter(action="create", user=head_of_service).count() == 2
    # The file is gone from the session: the same button imports nothing twice.
    assert SESSION_KEY not in importer.session
    again = importer.post(PAGE, {"sha256": digest.group(1), "import": ""})
    assert "no longer waiting to be imported" in _words(again)
    assert Child.objects.count() == 1


def test_a_bad_file_lists_each_problem_by_row_and_column_and_writes_nothing(
    importer: VerifiedClient,
) -> None:
    page = _check(importer, BAD)
    words = _words(page)
    assert "Error: Import children and adults" in words
    assert "4 problems in people.csv: nothing can be imported until every row is good" in words
    for row, column, message in (
        ("3", "last_name", "Enter the child's last name"),
        ("3", "date_of_birth", "Write the date like 2015-03-31 or 31/03/2015, not ‘31/02/2019’"),
        ("3", "local_reference", "The reference MOS0001 is on row 2 too"),
        ("4", "child_reference", "No child with the reference MOS9999 is in the file or recorded"),
    ):
        assert f"{row} {column} {message}" in words
        assert f"row {row}, column {column}: {message}" in words  # the error summary
    assert 'href="#problem-1"' in page.content.decode()  # type: ignore[attr-defined]
    assert 'name="import"' not in page.content.decode()  # type: ignore[attr-defined]
    assert SESSION_KEY not in importer.session
    assert not Child.objects.exists() and not Adult.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Choose the CSV file to check"),
        (_csv(GOOD, "people.xlsx"), "people.xlsx is not a CSV file"),
        (_csv("", "empty.csv"), "empty.csv is empty"),
        (
            SimpleUploadedFile("people.csv", "type,first_name\nchild,Zoë\n".encode("cp1252")),
            "people.csv is not UTF-8 text: in Excel, choose Save As",
        ),
        (
            SimpleUploadedFile("book.csv", b"PK\x03\x04\x14\x00\x06\x00"),
            "book.csv is a spreadsheet or other file, not CSV text",
        ),
        (
            SimpleUploadedFile("big.csv", GOOD.encode() * 20_000),
            "MB: choose a file of 1 MB or less (split a larger export",
        ),
        (_csv("type,first_name\n", "header.csv"), "header.csv has no rows to import"),
        (
            _csv("type,first_nmae\nchild,Amara\n"),
            "row 1, column first_nmae: Strategise has no such column",
        ),
    ],
)
def test_a_wrong_file_is_named_and_nothing_is_kept(
    importer: VerifiedClient, upload: SimpleUploadedFile | None, message: str
) -> None:
    data = {"check": ""} | ({"file": upload} if upload is not None else {})
    page = importer.post(PAGE, data)
    assert page.status_code == 200
    assert message in _words(page)
    assert SESSION_KEY not in importer.session
    assert not Child.objects.exists()


def test_what_is_imported_is_the_file_checked_not_what_the_browser_sends(
    importer: VerifiedClient,
) -> None:
    _check(importer, GOOD)
    forged = importer.post(PAGE, {"sha256": "0" * 64, "import": "", "text": BAD})
    assert "no longer waiting to be imported" in _words(forged)
    assert not Child.objects.exists()


def test_a_child_recorded_since_the_check_stops_the_whole_import(
    importer: VerifiedClient, authority: LocalAuthority
) -> None:
    checked = _check(importer, GOOD)
    digest = re.search(r'name="sha256" value="([0-9a-f]{64})"', checked.content.decode())  # type: ignore[attr-defined]
    assert digest is not None
    ChildFactory.create(local_authority=authority, local_reference="MOS0001")
    page = importer.post(PAGE, {"sha256": digest.group(1), "import": ""})
    assert "A child with the reference MOS0001 is already recorded" in _words(page)
    assert Child.objects.count() == 1 and not Adult.objects.exists()
    assert not AuditEvent.objects.filter(action="people-import").exists()


def test_checking_and_importing_ask_for_a_fresh_second_factor(
    importer: VerifiedClient,
) -> None:
    age_second_factor(importer.session.session_key or "", timedelta(minutes=16))
    page = importer.get(PAGE)
    assert page.status_code == 200 and "Confirm it is you" in _words(page)
    assert 'type="file"' not in page.content.decode()
    asked = _check(importer, GOOD)
    assert asked.status_code == 302  # type: ignore[attr-defined]
    assert asked["Location"].startswith("/sign-in/second-factor/")  # type: ignore[index]
    assert not AuditEvent.objects.filter(action="people-import-check").exists()


def test_the_page_lists_every_column_the_importer_knows(importer: VerifiedClient) -> None:
    page = importer.get(PAGE).content.decode()
    listed = set(re.findall(r"<dd class=\"govuk-summary-list__value\">(.*?)</dd>", page, re.S))
    named = {name for cell in listed for name in re.findall(r"<code>(\w+)</code>", cell)}
    assert named == set(COLUMNS)
    assert "docs/import.md says" not in page
