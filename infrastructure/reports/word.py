"""Word building blocks: the report's page and styles, tables written as one piece of XML, fields.

python-docx adds a table cell by cell, some milliseconds each: a table of thousands of tasks (the tasks
behind schedule of a large plan) took most of the report's time. `add_table` writes the same real table
(a header row repeated on every page, fixed column widths) as one XML string parsed once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

TWIPS_PER_CM = 567
TABLE_TEXT = "ReportTableText"
HEADER_FILL = "DDEBF7"
CELL_MARGINS = '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
TOC_LEVELS = {"Heading1": "TOC1", "Heading2": "TOC2"}  # style ids: a heading's level → its entry's style
SERIF, SANS = "宋体", "黑体"  # Word's usual Chinese faces; other systems substitute their own CJK fonts
# XML 1.0 forbids these control characters: one typed into a title must not break the document.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header, width, and whether it holds numbers (right-aligned)."""

    header: str
    width_cm: float
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell with emphasis: bold (a key task's row) or indented (its sections)."""

    text: str
    bold: bool = False
    indent: int = 0


def set_up(document: Document) -> None:
    """A4, 2.5 cm side margins (16 cm of text), Chinese fonts and language, the table text style."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.54)
    styles = document.styles
    _fonts(styles["Normal"], SERIF, Pt(10.5))
    for name, size in (("Title", Pt(22)), ("Subtitle", Pt(16)), ("Heading 1", Pt(16)), ("Heading 2", Pt(14))):
        _fonts(styles[name], SANS, size, colour=RGBColor(0, 0, 0))
    _fonts(styles["Heading 3"], SANS, Pt(12), colour=RGBColor(0, 0, 0))
    _fonts(styles["TOC Heading"], SANS, Pt(16), colour=RGBColor(0, 0, 0))
    _fonts(styles["Caption"], SANS, Pt(9), colour=RGBColor(0x40, 0x40, 0x40))
    styles["Subtitle"].font.italic = False
    for level, style_id in enumerate(TOC_LEVELS.values()):
        entry = styles.add_style(f"toc {level + 1}", WD_STYLE_TYPE.PARAGRAPH)  # Word's own names and ids
        entry.style_id = style_id
        entry.base_style = styles["Normal"]
        entry.paragraph_format.left_indent = Cm(0.74 * level)
    styles["Caption"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table_text = styles.add_style("表格文字", WD_STYLE_TYPE.PARAGRAPH)
    table_text.style_id = TABLE_TEXT
    table_text.base_style = styles["Normal"]
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_before = table_text.paragraph_format.space_after = Pt(0)
    _language(document)
    _page_numbers(document)


def add_table(document: Document, columns: Sequence[Column], rows: Iterable[Sequence[str | Cell]]) -> None:
    """A real Word table (style Table Grid) with a repeated header row, built in one go."""
    widths = [round(c.width_cm * TWIPS_PER_CM) for c in columns]
    parts = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>',
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>{CELL_MARGINS}',
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
        *(
            _cell(Cell(c.header, bold=True), w, "center", HEADER_FILL)
            for c, w in zip(columns, widths, strict=True)
        ),
        "</w:tr>",
    ]
    aligns = ["right" if c.numeric else "left" for c in columns]
    for row in rows:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts.extend(_cell(v, w, a) for v, w, a in zip(row, widths, aligns, strict=True))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    document.element.body._insert_tbl(parse_xml("".join(parts)))
    document.add_paragraph()  # Word needs a paragraph between two tables, or it joins them


def add_toc(document: Document):
    """A table of contents field (headings 1–2), to be filled by `fill_toc` once the headings are written.

    Word brings it up to date (page numbers) when the document is opened (the field is marked dirty);
    other programs show the entries written here.
    """
    begin = document.add_paragraph()
    for xml in (
        '<w:r {}><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>',
        '<w:r {}><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>',
        '<w:r {}><w:fldChar w:fldCharType="separate"/></w:r>',
    ):
        begin._p.append(parse_xml(xml.format(nsdecls("w"))))
    end = document.add_paragraph()
    end._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
    return end


def fill_toc(document: Document, end) -> None:
    """The field's current entries: every heading of levels 1–2, in order, in Word's toc styles."""
    body = document.element.body
    for p in body.iterchildren(qn("w:p")):
        if (style := p.style) in TOC_LEVELS:
            entry = para(document, "".join(t.text or "" for t in p.iter(qn("w:t"))), TOC_LEVELS[style])
            end._p.addprevious(entry._p)


def heading(document: Document, text: str, level: int) -> None:
    """A heading in Word's own heading style (the navigation pane and the table of contents list it)."""
    para(document, text, f"Heading{level}")


def para(document: Document, text: str, style_id: str | None = None):
    """A paragraph of text that may come from users (cleaned of what XML cannot hold), in a style named by
    its id: python-docx's lookup by name scans every style, some milliseconds a paragraph."""
    paragraph = document.add_paragraph()
    if style_id:
        paragraph._p.style = style_id
    if text:
        paragraph.add_run(clean(text))
    return paragraph


def lead_in(document: Document, text: str) -> None:
    """A bold line introducing what follows (a table, a list), kept on the page of what it introduces."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(clean(text)).bold = True


def clean(text: str) -> str:
    """Text as XML 1.0 can hold it: forbidden control characters become U+FFFD."""
    return ILLEGAL.sub("\ufffd", text)


def _cell(value: str | Cell, width: int, align: str, fill: str | None = None) -> str:
    cell = value if isinstance(value, Cell) else Cell(value)
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    indent = f'<w:ind w:left="{cell.indent * 240}"/>' if cell.indent else ""
    bold = "<w:rPr><w:b/></w:rPr>" if cell.bold else ""
    lines = escape(clean(cell.text)).split("\n")
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{TABLE_TEXT}"/>{indent}<w:jc w:val="{align}"/></w:pPr>'
        f"<w:r>{bold}{runs}</w:r></w:p></w:tc>"
    )


def _fonts(style, east_asian: str, size, *, colour: RGBColor | None = None) -> None:
    style.font.name = "Times New Roman" if east_asian == SERIF else "Arial"
    style.font.size = size
    if colour is not None:
        style.font.color.rgb = colour
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the face named here


def _language(document: Document) -> None:
    """Chinese as the East Asian language: Word then lays out and proofs the text as Chinese."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run.find(qn("w:lang"))
    if language is None:
        language = run.makeelement(qn("w:lang"), {})
        run.append(language)
    language.set(qn("w:eastAsia"), "zh-CN")
    theme = document.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:eastAsia"), "zh-CN")


def _page_numbers(document: Document) -> None:
    """The page number centred in the footer (a PAGE field: Word and LibreOffice fill it in)."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "/>'))
