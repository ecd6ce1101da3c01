"""Minutes as a tagged PDF (real WeasyPrint, read back with pypdf) and as a Word document."""

from __future__ import annotations

import copy
import logging
from io import BytesIO
from typing import Any

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject

from strategise.minutes.documents import (
    Block,
    MinutesDocument,
    ParagraphBlock,
    minutes_docx,
    minutes_html,
    minutes_pdf,
)

MARKING = "OFFICIAL-SENSITIVE — contains personal information about children. Do not forward."
FAMILY = "Not to be shared with the family"
CONSENT = "Not to be shared outside this meeting without the agency's consent (Birmingham §7)"
POLICE_TEXT = (
    "PC Jones reported two previous call-outs to the address in January 2026 for"
    " domestic abuse. A related investigation is ongoing and the suspect has not yet"
    " been told of it."
)
HOSTILE = "Mum said <script>alert('x')</script> & left; =HYPERLINK(\"http://evil\")"


def sample_minutes(*, draft: bool = False) -> MinutesDocument:
    """Realistic minutes, long enough to run to three pages."""
    discussion = (
        "The chair summarised the referral: Ayo (6) told his teacher that his mother's"
        " partner hit him with a belt; the school saw a bruise on his upper arm. The"
        " social worker visited the same afternoon and saw the bruise. Ayo's mother"
        " said the partner no longer lives at the address, which the police could not"
        " confirm. Health confirmed Ayo is up to date with immunisations and has no"
        " recent attendances at A&E; his younger sister, Zara (2), was last seen by the"
        " health visitor in November 2025."
    )
    summary: ParagraphBlock = {"type": "paragraph", "text": discussion}
    analysis: list[Block] = [
        {"type": "paragraph", "text": text}
        for text in (
            "Risks: the injury is consistent with Ayo's account. The partner's whereabouts"
            " are unknown and he may return to the home. There are two previous police"
            " call-outs for domestic abuse, and Zara has missed a health review.",
            "Strengths: Ayo's mother engaged with the social worker, agreed to the medical"
            " and has said she will not let the partner back into the home. The maternal"
            " grandmother lives nearby and has offered to have both children to stay.",
            "The family's views: Ayo told his teacher he is scared when the partner shouts."
            " His mother said she wants help to keep the children safe. Zara is too young to"
            " give her views; the health visitor will observe her at the rebooked review.",
            "Agencies agreed that the police will lead on contact with the partner and that"
            " no agency will tell him about the enquiry before the police have spoken to"
            " him, so that evidence is not lost.",
            "Ayo's mother has been told about the enquiry and the medical. She has not been"
            " told about the police contribution above, which may not be shared with her.",
            "The chair reminded attendees that these minutes are confidential and may only"
            " be shared with people who need them to keep Ayo and Zara safe.",
        )
    ]
    return {
        "title": "Strategy discussion minutes",
        "subtitle": "Demo Sandwell — strategy discussion 12",
        "language": "en-GB",
        "marking": MARKING,
        "status": "DRAFT — not yet approved by the chair" if draft else "Approved version 2",
        "draft": draft,
        "meta": [
            ["Held", "Thursday 5 March 2026, 2pm"],
            ["Chair", "Sam Patel, team manager, children's social care"],
            ["Format", "Video call (Microsoft Teams)"],
            ["Children", "Ayo Okafor (6), Zara Okafor (2)"],
            ["Minutes taken by", "Jo Evans, business support"],
        ],
        "sections": [
            {
                "heading": "Attendance",
                "blocks": [
                    {
                        "type": "table",
                        "caption": "Invited and attended",
                        "columns": ["Invitee", "Agency", "Required", "Attendance"],
                        "rows": [
                            ["Sam Patel", "Children's social care", "Yes", "Attended"],
                            ["Priya Shah", "Children's social care", "Yes", "Attended"],
                            ["PC Dan Jones", "West Midlands Police", "Yes", "Attended"],
                            ["Dr Ellen Moss", "Sandwell health visiting", "Yes", "Attended"],
                            ["Ms Clare Hughes", "Oakfield Primary School", "No", "Apologies"],
                        ],
                    },
                    {
                        "type": "paragraph",
                        "text": "Quorum was met: children's social care, police and health"
                        " attended.",
                    },
                ],
            },
            {
                "heading": "Information shared",
                "blocks": [
                    summary,
                    {
                        "type": "marked",
                        "markings": [FAMILY, CONSENT],
                        "heading": "Police — PC Jones",
                        "text": POLICE_TEXT,
                    },
                    {
                        "type": "marked",
                        "markings": [],
                        "heading": "Health — Dr Moss",
                        "text": "No concerns about growth or development. Zara was not"
                        " brought to her 2-year review in January; a new appointment is"
                        " booked.",
                    },
                    {
                        "type": "marked",
                        "markings": [FAMILY],
                        "heading": "Education — Oakfield Primary School (written report)",
                        "text": "Attendance this term is 84%. Ayo has arrived hungry on"
                        " several mornings and the school has been giving him breakfast.",
                    },
                    *analysis,
                ],
            },
            {
                "heading": "Decisions",
                "blocks": [
                    {
                        "type": "list",
                        "items": [
                            "The threshold for a section 47 enquiry is met.",
                            "A single-agency police investigation will run alongside it.",
                            "Ayo will have a child protection medical today.",
                        ],
                    },
                ],
            },
            {
                "heading": "Actions",
                "blocks": [
                    {
                        "type": "table",
                        "caption": "Who does what by when",
                        "columns": ["Action", "Owner", "Due"],
                        "rows": [
                            [
                                "Arrange the child protection medical",
                                "Priya Shah",
                                "Thursday 5 March 2026",
                            ],
                            ["Check the partner's address", "PC Dan Jones", "Friday 6 March"],
                            ["Rebook Zara's 2-year review", "Dr Ellen Moss", "Friday 13 March"],
                        ]
                        * 4,
                    },
                    {
                        "type": "paragraph",
                        "text": "The next review of the enquiry is due by Thursday 12 March 2026.",
                    },
                ],
            },
        ],
    }


# --- reading the PDF back ----------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def _catalog(pdf: bytes) -> DictionaryObject:
    return PdfReader(BytesIO(pdf)).root_object


def _entry(dictionary: DictionaryObject, key: str) -> DictionaryObject:
    value = dictionary[key].get_object()
    assert isinstance(value, DictionaryObject)
    return value


def _structure_types(node: Any) -> list[str]:
    """The structure element types (/H1, /Table, ...) under a node, in document order."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, ArrayObject):
        return [kind for kid in node for kind in _structure_types(kid)]
    if not isinstance(node, DictionaryObject):
        return []  # a marked-content id
    kinds = [str(node["/S"])] if "/S" in node else []
    return kinds + _structure_types(node.get("/K", []))


@pytest.fixture(scope="module")
def approved_pdf() -> bytes:
    return minutes_pdf(sample_minutes())


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return minutes_pdf(sample_minutes(draft=True))


@pytest.fixture(scope="module")
def structure(approved_pdf: bytes) -> list[str]:
    return _structure_types(_entry(_catalog(approved_pdf), "/StructTreeRoot"))


# --- PDF ----------------------------------------------------------------------


def test_pdf_has_the_title_section_headings_and_table_cells(approved_pdf: bytes) -> None:
    text = _pdf_text(approved_pdf)
    assert "Strategy discussion minutes" in text
    assert "Demo Sandwell — strategy discussion 12" in text
    for heading in ("Attendance", "Information shared", "Decisions", "Actions"):
        assert heading in text
    assert "Invited and attended" in text
    assert "West Midlands Police" in text
    assert "Apologies" in text
    assert "Thursday 5 March 2026, 2pm" in text


def test_pdf_prints_a_contribution_with_its_markings(approved_pdf: bytes) -> None:
    text = " ".join(_pdf_text(approved_pdf).split())
    assert "Police — PC Jones" in text
    assert POLICE_TEXT in text
    assert "Confidentiality markings" in text
    assert FAMILY in text
    assert CONSENT in text


def test_pdf_runs_to_several_pages_each_with_the_marking_and_its_number(
    approved_pdf: bytes,
) -> None:
    pages = _page_texts(approved_pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert MARKING in text
        assert f"Page {number} of {len(pages)}" in text


def test_pdf_is_tagged(approved_pdf: bytes) -> None:
    catalog = _catalog(approved_pdf)
    assert _entry(catalog, "/MarkInfo")["/Marked"] == BooleanObject(True)
    assert str(_entry(catalog, "/StructTreeRoot")["/Type"]) == "/StructTreeRoot"


def test_pdf_has_the_document_title(approved_pdf: bytes) -> None:
    reader = PdfReader(BytesIO(approved_pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == "Strategy discussion minutes"
    assert reader.xmp_metadata is not None
    assert reader.xmp_metadata.dc_title == {"x-default": "Strategy discussion minutes"}
    # Viewers show the title, not the file name, in their title bar.
    preferences = _entry(reader.root_object, "/ViewerPreferences")
    assert preferences["/DisplayDocTitle"] == BooleanObject(True)


def test_pdf_has_the_document_language(approved_pdf: bytes) -> None:
    assert str(_catalog(approved_pdf)["/Lang"]) == "en-GB"


def test_pdf_headings_are_tagged_in_order(structure: list[str]) -> None:
    levels = [int(kind[2:]) for kind in structure if kind in ("/H1", "/H2", "/H3")]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert levels.count(2) == 4
    assert levels.count(3) == 3
    for previous, level in zip(levels, levels[1:], strict=False):
        assert level <= previous + 1


def test_pdf_tables_are_tagged_with_header_cells(structure: list[str]) -> None:
    # The details table under the title, and the two in the sections.
    assert structure.count("/Table") == 3
    assert structure.count("/Caption") == 2
    assert structure.count("/TH") == 5 + 4 + 3


def test_pdf_renders_without_warnings(caplog: pytest.LogCaptureFixture) -> None:
    # WeasyPrint logs, rather than raises, a missing language or alternative text, CSS it
    # ignores, and a resource it could not load (the draft watermark is the only one).
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        minutes_pdf(sample_minutes(draft=True))
    assert [record.getMessage() for record in caplog.records] == []


def test_draft_pdf_is_flagged_on_every_page(draft_pdf: bytes) -> None:
    pages = _page_texts(draft_pdf)
    assert len(pages) >= 3
    for text in pages:
        assert "DRAFT — not yet approved by the chair" in text


def test_approved_pdf_says_which_version_on_every_page(approved_pdf: bytes) -> None:
    for text in _page_texts(approved_pdf):
        assert "Approved version 2" in text
        assert "DRAFT" not in text


def test_pdf_prints_markup_and_ampersands_literally() -> None:
    document = sample_minutes()
    document["sections"][0]["blocks"].append({"type": "paragraph", "text": HOSTILE})
    document["sections"][0]["heading"] = "Attendance & <b>apologies</b>"
    text = _pdf_text(minutes_pdf(document))
    assert "<script>alert('x')</script> & left" in text
    assert "Attendance & <b>apologies</b>" in text


def test_html_escapes_every_value() -> None:
    document = sample_minutes()
    document["title"] = "Minutes</title><script>x</script>"
    document["meta"].append(["<i>Label</i>", HOSTILE])
    html = minutes_html(document)
    assert "<script>" not in html
    assert "<i>" not in html
    assert "Minutes&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;" in html
    assert "&amp; left" in html


def test_pdf_does_not_fetch_a_url_named_in_the_text() -> None:
    document = sample_minutes()
    document["sections"][0]["blocks"].append(
        {"type": "paragraph", "text": '<img src="file:///etc/passwd">'}
    )
    assert '<img src="file:///etc/passwd">' in _pdf_text(minutes_pdf(document))


def test_a_table_without_rows_says_so() -> None:
    document = sample_minutes()
    actions = document["sections"][3]["blocks"][0]
    assert actions["type"] == "table"
    actions["rows"] = []
    assert "None recorded." in _pdf_text(minutes_pdf(document))
    table = _open(minutes_docx(document)).tables[-1]
    assert [cell.text for cell in table.rows[0].cells] == ["Action", "Owner", "Due"]
    assert [cell.text for cell in table.rows[1].cells] == ["None recorded."] * 3  # merged


def test_line_breaks_in_a_paragraph_are_kept() -> None:
    document = sample_minutes()
    document["sections"][2]["blocks"] = [
        {"type": "paragraph", "text": "First line of the note\nSecond line of the note"}
    ]
    text = _pdf_text(minutes_pdf(document))
    assert "First line of the note\nSecond line of the note" in text


# --- the structure is checked before either format is made --------------------


def test_an_unknown_block_type_is_refused() -> None:
    document = sample_minutes()
    image: Any = {"type": "image", "text": "x"}  # not a Block: as from a bad caller
    document["sections"][0]["blocks"].append(image)
    with pytest.raises(ValueError, match="unknown type 'image'"):
        minutes_pdf(document)
    with pytest.raises(ValueError, match="unknown type 'image'"):
        minutes_docx(document)


def test_minutes_without_a_language_are_refused() -> None:
    document = sample_minutes()
    document["language"] = " "
    with pytest.raises(ValueError, match="need a language"):
        minutes_pdf(document)


def test_a_table_row_of_the_wrong_width_is_refused() -> None:
    document = sample_minutes()
    attendance = document["sections"][0]["blocks"][0]
    assert attendance["type"] == "table"
    attendance["rows"].append(["Only a name"])
    with pytest.raises(ValueError, match="4 columns but a row with 1 cells"):
        minutes_docx(document)


def test_control_characters_pasted_into_text_are_dropped() -> None:
    document = sample_minutes()
    document["sections"][0]["blocks"].append(
        {"type": "paragraph", "text": "Pasted\x0c from\x00 a\x0b form"}
    )
    assert "Pasted from a form" in _pdf_text(minutes_pdf(document))
    assert "Pasted from a form" in _docx_text(_open(minutes_docx(document)))


def test_the_callers_document_is_left_unchanged() -> None:
    document = sample_minutes()
    document["subtitle"] = "Tab\x0bbed"
    before = copy.deepcopy(document)
    minutes_docx(document)
    minutes_html(document)
    assert document == before


# --- DOCX ---------------------------------------------------------------------


def _open(data: bytes) -> WordDocument:
    return docx.Document(BytesIO(data))


def _docx_text(word: WordDocument) -> str:
    paragraphs = [paragraph.text for paragraph in word.paragraphs]
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


@pytest.fixture(scope="module")
def approved_docx() -> WordDocument:
    return _open(minutes_docx(sample_minutes()))


def test_docx_headings_use_heading_styles_in_order(approved_docx: WordDocument) -> None:
    headings = [
        (paragraph.style.name, paragraph.text)
        for paragraph in approved_docx.paragraphs
        if paragraph.style is not None and paragraph.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "Strategy discussion minutes"),
        ("Heading 2", "Attendance"),
        ("Heading 2", "Information shared"),
        ("Heading 3", "Police — PC Jones"),
        ("Heading 3", "Health — Dr Moss"),
        ("Heading 3", "Education — Oakfield Primary School (written report)"),
        ("Heading 2", "Decisions"),
        ("Heading 2", "Actions"),
    ]


def test_docx_has_the_paragraphs_lists_and_meta(approved_docx: WordDocument) -> None:
    text = _docx_text(approved_docx)
    assert "Demo Sandwell — strategy discussion 12" in text
    assert "Approved version 2" in text
    assert "Thursday 5 March 2026, 2pm" in text
    assert "Quorum was met" in text
    bullets = [
        p.text for p in approved_docx.paragraphs if p.style and p.style.name == "List Bullet"
    ]
    assert "The threshold for a section 47 enquiry is met." in bullets


def test_docx_prints_a_contribution_with_its_markings(approved_docx: WordDocument) -> None:
    paragraphs = [paragraph.text for paragraph in approved_docx.paragraphs]
    police = paragraphs.index("Police — PC Jones")
    assert paragraphs[police + 1 : police + 5] == [
        "Confidentiality markings",
        FAMILY,
        CONSENT,
        POLICE_TEXT,
    ]


def test_docx_tables_have_a_header_row_and_a_caption(approved_docx: WordDocument) -> None:
    attendance = approved_docx.tables[1]
    header = attendance.rows[0]
    assert [cell.text for cell in header.cells] == ["Invitee", "Agency", "Required", "Attendance"]
    assert header._tr.trPr is not None
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert [cell.text for cell in attendance.rows[3].cells] == [
        "PC Dan Jones",
        "West Midlands Police",
        "Yes",
        "Attended",
    ]
    caption = attendance._tbl.tblPr.find(qn("w:tblCaption"))
    assert caption is not None
    assert caption.get(qn("w:val")) == "Invited and attended"
    captions = [p.text for p in approved_docx.paragraphs if p.style and p.style.name == "Caption"]
    assert captions == ["Invited and attended", "Who does what by when"]


def test_docx_properties_give_the_title_and_language(approved_docx: WordDocument) -> None:
    properties = approved_docx.core_properties
    assert properties.title == "Strategy discussion minutes"
    assert properties.language == "en-GB"
    assert properties.subject == "Demo Sandwell — strategy discussion 12"
    assert properties.author == "Strategise"
    defaults = approved_docx.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert defaults is not None
    assert defaults.get(qn("w:val")) == "en-GB"


def test_docx_header_carries_the_marking(approved_docx: WordDocument) -> None:
    header = [paragraph.text for paragraph in approved_docx.sections[0].header.paragraphs]
    assert header == [MARKING]


def test_docx_footer_numbers_the_pages(approved_docx: WordDocument) -> None:
    footer = approved_docx.sections[0].footer._element
    instructions = [field.get(qn("w:instr")) for field in footer.iter(qn("w:fldSimple"))]
    assert instructions == [" PAGE ", " NUMPAGES "]


def test_draft_docx_is_flagged_in_the_header_of_every_page() -> None:
    word = _open(minutes_docx(sample_minutes(draft=True)))
    header = [paragraph.text for paragraph in word.sections[0].header.paragraphs]
    assert header == [MARKING, "DRAFT — not yet approved by the chair"]
    assert word.core_properties.content_status == "DRAFT — not yet approved by the chair"


def test_docx_keeps_markup_and_formula_like_text_as_plain_text() -> None:
    document = sample_minutes()
    document["sections"][0]["blocks"].append({"type": "paragraph", "text": HOSTILE})
    attendance = document["sections"][0]["blocks"][0]
    assert attendance["type"] == "table"
    attendance["rows"][0][0] = "=SUM(A1:A9)"
    word = _open(minutes_docx(document))
    assert HOSTILE in [paragraph.text for paragraph in word.paragraphs]
    assert word.tables[1].rows[1].cells[0].text == "=SUM(A1:A9)"
    # No field codes in the body: only the footer's page numbers are fields.
    body = word.element.body
    assert list(body.iter(qn("w:fldSimple"))) == []
    assert list(body.iter(qn("w:instrText"))) == []
