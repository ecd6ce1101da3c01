"""Strategy discussion minutes as a tagged PDF and as a Word document.

The domain code builds a ``MinutesDocument``, a plain JSON-serialisable structure, and
this module only lays it out: ``minutes_pdf`` through an HTML template and WeasyPrint
(PDF/UA-1: tagged, titled, with its language), ``minutes_docx`` through python-docx.
Every string in the structure is treated as user input: escaped in the HTML, written
as plain text runs in the Word document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING, Literal, NotRequired, TypedDict, cast

import docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.styles import CT_Style
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from jinja2 import Environment, PackageLoader, StrictUndefined
from weasyprint import HTML
from weasyprint.urls import URLFetcher

if TYPE_CHECKING:
    from strategise.minutes.models import Minutes

# --- the structure ------------------------------------------------------------


class ParagraphBlock(TypedDict):
    type: Literal["paragraph"]
    text: str


class ListBlock(TypedDict):
    type: Literal["list"]
    items: list[str]


class TableBlock(TypedDict):
    type: Literal["table"]
    caption: str
    columns: list[str]
    #: Each row has one cell per column.
    rows: list[list[str]]


class MarkedBlock(TypedDict):
    """A titled passage (a contribution, an answer, a note), with any confidentiality
    markings it carries printed with it."""

    type: Literal["marked"]
    markings: list[str]
    heading: str
    text: str
    #: The passage's id, where the minute-taker may reword it (``minutes.wording``).
    id: NotRequired[str]


Block = ParagraphBlock | ListBlock | TableBlock | MarkedBlock


class Section(TypedDict):
    heading: str
    blocks: list[Block]


class MinutesDocument(TypedDict):
    title: str
    subtitle: str
    #: A BCP 47 tag, "en-GB".
    language: str
    #: The protective marking, printed at the top of every page.
    marking: str
    #: "Approved version 2", or "DRAFT — not yet approved by the chair".
    status: str
    #: True until the chair approves: every page is then flagged as a draft.
    draft: bool
    #: [label, value] pairs, shown as a two-column table under the title.
    meta: list[list[str]]
    sections: list[Section]


#: Printed above a contribution's markings, in both formats.
MARKINGS_LABEL = "Confidentiality markings"
#: Printed in a table that has no rows, in both formats.
NONE_RECORDED = "None recorded."

BLOCK_TYPES = ("paragraph", "list", "table", "marked")

# XML 1.0 forbids these control characters; pasted text sometimes carries them, and
# python-docx (lxml) refuses them outright. Tab, line feed and carriage return stay.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: object) -> object:
    """A copy of a JSON-like value with XML-invalid characters removed from its strings."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def _checked(document: MinutesDocument) -> MinutesDocument:
    """The document, cleaned; ValueError if a part of it could not be laid out faithfully."""
    # A tagged PDF must state its title and language; minutes must carry their marking.
    required = {
        "title": document["title"],
        "language": document["language"],
        "marking": document["marking"],
    }
    for name, value in required.items():
        if not value.strip():
            raise ValueError(f"The minutes need a {name}.")
    for pair in document["meta"]:
        if len(pair) != 2:
            raise ValueError(f"Each meta entry must be a [label, value] pair, not {pair!r}.")
    for section in document["sections"]:
        if not section["heading"].strip():
            raise ValueError("Every section needs a heading.")
        for block in section["blocks"]:
            kind = block.get("type")
            if kind not in BLOCK_TYPES:
                raise ValueError(
                    f"Section {section['heading']!r} has a block of unknown type {kind!r};"
                    f" use one of {', '.join(BLOCK_TYPES)}."
                )
            if block["type"] == "table":
                width = len(block["columns"])
                for row in block["rows"]:
                    if len(row) != width:
                        raise ValueError(
                            f"Table {block['caption']!r} has {width} columns but a row"
                            f" with {len(row)} cells."
                        )
            if block["type"] == "marked" and not block["heading"].strip():
                raise ValueError(
                    f"A contribution in section {section['heading']!r} has no heading."
                )
    return cast(MinutesDocument, _clean(document))


# --- PDF ----------------------------------------------------------------------

_templates = Environment(
    loader=PackageLoader("strategise.minutes", "jinja2"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def minutes_html(document: MinutesDocument) -> str:
    """The minutes as the HTML page that ``minutes_pdf`` prints."""
    template = _templates.get_template("minutes/minutes_document.html")
    return template.render(
        document=_checked(document),
        markings_label=MARKINGS_LABEL,
        none_recorded=NONE_RECORDED,
    )


def minutes_pdf(document: MinutesDocument) -> bytes:
    """The minutes as a tagged PDF (PDF/UA-1) with the marking on every page."""
    # The template's only resource is the inline draft watermark (a data: URL). Refusing
    # every other scheme means nothing in the minutes can make the renderer read a local
    # file or reach the network. A fetcher holds per-request state, so one per render.
    fetcher = URLFetcher(allowed_protocols=("data",))
    html = HTML(string=minutes_html(document), url_fetcher=fetcher)
    pdf: bytes = html.write_pdf(pdf_variant="pdf/ua-1")
    return pdf


# --- DOCX ---------------------------------------------------------------------

_FONT = "Arial"
_TEXT_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)
_SECONDARY_COLOUR = RGBColor(0x50, 0x5A, 0x5F)
_DRAFT_COLOUR = RGBColor(0xD4, 0x35, 0x1C)

# WordprocessingML fixes the order of a paragraph's properties: a border added by hand
# goes before the ones the schema puts after it.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def minutes_docx(document: MinutesDocument) -> bytes:
    """The minutes as a Word document with the marking in the header of every page."""
    document = _checked(document)
    word = docx.Document()
    _set_up_styles(word, document["language"])
    _set_up_page(word, document)
    _set_properties(word, document)

    marking = word.add_paragraph(style="Marking")
    marking.add_run(document["marking"])
    word.add_heading(document["title"], level=1)
    subtitle = word.add_paragraph(style="Subtitle")
    subtitle.add_run(document["subtitle"])
    status = word.add_paragraph()
    status_run = status.add_run(document["status"])
    status_run.bold = True
    if document["draft"]:
        status_run.font.color.rgb = _DRAFT_COLOUR
    if document["meta"]:
        _add_meta_table(word, document["meta"])

    for section in document["sections"]:
        word.add_heading(section["heading"], level=2)
        for block in section["blocks"]:
            _add_block(word, block)

    output = BytesIO()
    word.save(output)
    return output.getvalue()


def _add_block(word: WordDocument, block: Block) -> None:
    if block["type"] == "paragraph":
        word.add_paragraph(block["text"])
    elif block["type"] == "list":
        for item in block["items"]:
            word.add_paragraph(item, style="List Bullet")
    elif block["type"] == "table":
        _add_table(word, block)
    else:
        word.add_heading(block["heading"], level=3)
        if block["markings"]:
            label = word.add_paragraph(style="Markings")
            label.add_run(MARKINGS_LABEL).bold = True
            for marking in block["markings"]:
                word.add_paragraph(style="List Bullet").add_run(marking).bold = True
        word.add_paragraph(block["text"])


def _add_meta_table(word: WordDocument, meta: list[list[str]]) -> None:
    table = word.add_table(rows=0, cols=2)
    table.style = word.styles["Table Grid"]
    _describe_table(table, "About this discussion")
    for label, value in meta:
        cells = table.add_row().cells
        _fill(cells[0], label, bold=True)
        _fill(cells[1], value)
    word.add_paragraph()


def _add_table(word: WordDocument, block: TableBlock) -> None:
    caption = word.add_paragraph(style="Caption")
    caption.add_run(block["caption"])
    columns = block["columns"]
    table = word.add_table(rows=1, cols=len(columns))
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _describe_table(table, block["caption"])
    header = table.rows[0]
    # A header row Word repeats on each page and announces to screen readers as one.
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, column in zip(header.cells, columns, strict=True):
        _fill(cell, column, bold=True)
    for row in block["rows"]:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            _fill(cell, value)
    if not block["rows"]:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
        _fill(merged, NONE_RECORDED)
    word.add_paragraph()


def _fill(cell: _Cell, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(3)
    paragraph.add_run(text).bold = bold


def _describe_table(table: Table, title: str) -> None:
    """Give a table its alternative-text title, which screen readers announce."""
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), title)
    # tblCaption comes after every other table property but tblDescription.
    table._tbl.tblPr.insert_element_before(caption, "w:tblDescription")


def _set_up_styles(word: WordDocument, language: str) -> None:
    styles = word.styles
    # python-docx's template sets every run's proofing language to en-US by default.
    path = ("w:docDefaults", "w:rPrDefault", "w:rPr", "w:lang")
    default_language = styles.element.find("/".join(qn(tag) for tag in path))
    if default_language is not None:
        default_language.set(qn("w:val"), language)
        default_language.set(qn("w:eastAsia"), language)

    sizes = {"Normal": 11, "Heading 1": 22, "Heading 2": 15, "Heading 3": 12, "Subtitle": 13}
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Subtitle", "Caption"):
        style = styles[name]
        _use_font(style.element)
        style.font.color.rgb = _TEXT_COLOUR
        if name in sizes:
            style.font.size = Pt(sizes[name])
    styles["Subtitle"].font.color.rgb = _SECONDARY_COLOUR
    styles["Subtitle"].font.italic = False
    # The template spreads the subtitle's letters out; print it as ordinary text.
    subtitle_run = styles["Subtitle"].element.get_or_add_rPr()
    for spacing in subtitle_run.findall(qn("w:spacing")):
        subtitle_run.remove(spacing)
    styles["Caption"].font.size = Pt(11)
    styles["Caption"].paragraph_format.keep_with_next = True

    marking = styles.add_style("Marking", 1)
    marking.base_style = styles["Normal"]
    marking.font.bold = True
    _box(marking.element)

    markings = styles.add_style("Markings", 1)
    markings.base_style = styles["Normal"]
    markings.paragraph_format.keep_with_next = True
    markings.paragraph_format.space_after = Pt(2)


def _use_font(style_element: CT_Style) -> None:
    """Set the style's font to Arial, dropping the theme fonts that would override it."""
    fonts = style_element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), _FONT)


def _box(style_element: CT_Style) -> None:
    """A single black border all round the style's paragraphs."""
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "12")  # eighths of a point
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), "0B0C0C")
        borders.append(edge)
    style_element.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def _set_up_page(word: WordDocument, document: MinutesDocument) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(24), Mm(22)

    header = section.header.paragraphs[0]
    header.add_run(document["marking"]).bold = True
    if document["draft"]:
        flag = section.header.add_paragraph().add_run(document["status"])
        flag.bold = True
        flag.font.color.rgb = _DRAFT_COLOUR

    section.footer.paragraphs[0].add_run(f"{document['subtitle']} — {document['status']}")
    footer = section.footer.add_paragraph()
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A simple field Word fills in when it lays the page out (PAGE, NUMPAGES)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _set_properties(word: WordDocument, document: MinutesDocument) -> None:
    properties = word.core_properties
    now = datetime.now(UTC)
    properties.title = document["title"]
    properties.subject = document["subtitle"]
    properties.language = document["language"]
    properties.content_status = document["status"]
    properties.author = properties.last_modified_by = "Strategise"
    properties.created = properties.modified = now
    properties.revision = 1
    properties.comments = ""
    properties.keywords = ""
    properties.category = document["marking"]


# --- a version of the minutes as a file -------------------------------------------

# The official media types (IANA) of the two formats.
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class MinutesFile:
    """A version of the minutes as a file to download: its bytes, type and name."""

    content: bytes
    media_type: str
    name: str


def minutes_file(minutes: Minutes, kind: Literal["pdf", "docx"]) -> MinutesFile:
    """A version of the minutes (read through ``minutes_get``, which audits the download)
    as a PDF or a Word document, named after its discussion and version."""
    document = cast(MinutesDocument, minutes.document)
    return MinutesFile(
        content=minutes_pdf(document) if kind == "pdf" else minutes_docx(document),
        media_type=FORMATS[kind],
        name=f"strategy-discussion-{minutes.discussion_id}-minutes-v{minutes.number}.{kind}",
    )
