"""The Word board paper: an executed notebook as a ``.docx`` with the same content as the HTML report.

NHS board papers are Word documents, and a board secretary will not paste from HTML. This module builds the
document from the executed notebook the way :func:`ttwell.presentation.report.export_html` builds the HTML: code never
appears, cells tagged for removal (the test suite's printouts among them) never appear, and the sections,
tables and charts come in the notebook's order. Markdown is rendered to HTML by nbconvert's own renderer and
every HTML fragment (markdown, ``DisplayTable`` outputs) is walked by one small converter, so the two reports
cannot drift apart in what they show.

Examples
--------
>>> from ttwell import word
>>> word.export_docx(Path("reports/baseline/baseline.ipynb"), Path("reports/baseline/baseline.docx"))  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import re
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ttwell import __version__
from ttwell.disclosure import SUPPRESSED_MARK
from ttwell.presentation.report import NHS_BLUE, REMOVE_CELL_TAGS, _save_bytes, read_executed, report_title
from ttwell.presentation.word_html import FONT, FOOTNOTE_STYLE, NO_ALT, DocxWriter, set_font

__all__ = ["NO_ALT", "export_docx", "production_line"]

TEXT_COLOUR = "231F20"  # NHS Black: body text
GREY_COLOUR = "425563"  # NHS Dark Grey: header, footer and footnotes (7.75:1 on white)
SERVICE_LINE = "NHS Talking Therapies \u00b7 staff wellbeing"

# nbconvert's order of preference among an output's formats, reduced to what a Word document can show.
_PRIORITY = ("text/html", "image/png", "image/jpeg", "text/markdown", "text/plain")


def production_line(produced: dt.date | None = None) -> str:
    """The line that says when and by what a report was made.

    Parameters
    ----------
    produced : datetime.date, optional
        The production date; today if not given.

    Returns
    -------
    str

    Examples
    --------
    >>> production_line(dt.date(2025, 4, 1))  # doctest: +ELLIPSIS
    'Produced on 01/04/2025 by ttwell ...'
    """
    return f"Produced on {(produced or dt.date.today()).strftime('%d/%m/%Y')} by ttwell {__version__}"


# --- the document -------------------------------------------------------------------------------------------

def _new_document(title: str):
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4 portrait
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)

    styles = doc.styles
    set_font(styles["Normal"], size=11, colour=TEXT_COLOUR)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    # British English for spelling and for screen readers' pronunciation; Arial throughout.
    rpr = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    fonts = rpr.find(qn("w:rFonts"))  # theme fonts (Calibri) would show wherever a style names no font
    if fonts is not None:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
    for level, size, before in ((1, 20, 0), (2, 15, 18), (3, 12.5, 12), (4, 11, 10)):
        style = styles[f"Heading {level}"]
        set_font(style, size=size, colour=NHS_BLUE.lstrip("#"), bold=True, italic=False)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    caption = styles["Caption"]
    set_font(caption, size=10, colour=TEXT_COLOUR, bold=True, italic=False)
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)
    footnote = styles.add_style(FOOTNOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    footnote.base_style = styles["Normal"]
    set_font(footnote, size=9, colour=GREY_COLOUR)
    footnote.paragraph_format.space_before = Pt(3)
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Continue"):
        styles[name].paragraph_format.space_after = Pt(3)

    props = doc.core_properties
    props.title, props.author, props.subject = title, f"ttwell {__version__}", SERVICE_LINE
    props.language = "en-GB"
    return doc


def _add_field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when the page is laid out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _header_and_footer(doc, title: str, produced: dt.date | None) -> None:
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    set_font(header.add_run(f"{SERVICE_LINE} \u00b7 {title}"), size=8.5, colour=GREY_COLOUR)
    footer = section.footer.paragraphs[0]
    set_font(footer.add_run(f"{production_line(produced)}. Figures marked {SUPPRESSED_MARK} are suppressed to "
                            "protect confidentiality."), size=8.5, colour=GREY_COLOUR)
    pages = section.footer.add_paragraph()
    pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_font(pages.add_run("Page "), size=8.5, colour=GREY_COLOUR)
    _add_field(pages, "PAGE")
    set_font(pages.add_run(" of "), size=8.5, colour=GREY_COLOUR)
    _add_field(pages, "NUMPAGES")


# --- notebook to document -----------------------------------------------------------------------------------

def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _add_output(writer: DocxWriter, output, markdown2html) -> None:
    if output.get("output_type") == "stream":
        # stderr (library warnings) is for the analyst in the executed notebook, never for the board paper.
        if output.get("name") != "stderr":
            writer.preformatted(_text(output.get("text", "")))
        return
    data = output.get("data") or {}
    kind = next((k for k in _PRIORITY if k in data), None)
    if kind == "text/html":
        writer.html(_text(data[kind]))
    elif kind in ("image/png", "image/jpeg"):
        meta = (output.get("metadata") or {}).get(kind) or {}
        try:
            image = base64.b64decode(_text(data[kind]))
        except (binascii.Error, ValueError):
            return
        writer.picture(image, meta.get("alt"), meta.get("width"))
    elif kind == "text/markdown":
        writer.html(markdown2html(_text(data[kind])))
    elif kind == "text/plain":
        writer.preformatted(_text(data[kind]))
    # error outputs and other formats (widgets, JavaScript) have nothing for a reader on paper


def _has_top_heading(nb) -> bool:
    for cell in nb.cells:
        sources = [cell.source] if cell.cell_type == "markdown" else [
            _text(o.get("data", {}).get("text/markdown", "")) for o in cell.get("outputs", [])]
        if any(re.search(r"(?m)^\s{0,3}#\s|<h1[\s>]", s) for s in sources):
            return True
    return False


def export_docx(executed_notebook: Path, docx_path: Path, *, produced: dt.date | None = None) -> Path:
    """Export an executed notebook as a Word board paper: no code, NHS styling, A4 portrait.

    Markdown headings become Word's Heading 1-4 styles (so the navigation pane lists the sections), tables keep
    their caption, a header row repeated on each page, ``[c]`` cells, right-aligned numbers and the footnote
    under them, and charts are pictures whose description is the alt text given to :func:`ttwell.presentation.charts.show`.
    The footer says when and by which ttwell version the paper was produced.

    Parameters
    ----------
    executed_notebook : pathlib.Path
        Notebook executed by papermill.
    docx_path : pathlib.Path
        Word file to write; its folder is created if needed.
    produced : datetime.date, optional
        Production date shown in the footer; today if not given.

    Returns
    -------
    pathlib.Path
        ``docx_path``.

    Raises
    ------
    TtwellError
        If the notebook cannot be read, or the Word file cannot be written (for example, it is open in Word).

    Examples
    --------
    >>> export_docx(Path("reports/baseline/baseline.ipynb"), Path("reports/baseline/baseline.docx"))  # doctest: +SKIP
    """
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    executed_notebook, docx_path = Path(executed_notebook), Path(docx_path)
    nb = read_executed(executed_notebook, "the Word document")
    title = report_title(nb) or executed_notebook.stem
    doc = _new_document(title)
    _header_and_footer(doc, title, produced)
    writer = DocxWriter(doc)
    if not _has_top_heading(nb):
        doc.add_heading(title, level=1)
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & REMOVE_CELL_TAGS:
            continue
        if cell.cell_type == "markdown" and "remove-input" not in tags:
            writer.html(markdown2html_mistune(cell.source))
        elif cell.cell_type == "code" and "remove-output" not in tags:
            for output in cell.get("outputs", []):
                _add_output(writer, output, markdown2html_mistune)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _save_bytes(buffer.getvalue(), docx_path)
