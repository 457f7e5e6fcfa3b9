"""HTML fragments (rendered markdown, ``DisplayTable`` outputs) as Word paragraphs, tables and pictures.

Used by :mod:`ttwell.presentation.word`. One converter for every fragment keeps the Word paper and the HTML report alike:
markdown is rendered to HTML by nbconvert first, so a heading, list or table is handled in one place.
"""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor

from ttwell.presentation.report import NHS_BLUE

FONT = "Arial"  # the NHS identity's sanctioned alternative to Frutiger for internal documents
MONO_FONT = "Courier New"
NO_ALT = "Chart: no description was provided"  # the HTML report's wording for the same case
CELL_MARGIN_PT = 3.5  # a little under Word's 5.4 pt, so that nine-column tables fit A4 portrait
FOOTNOTE_STYLE = "Table Footnote"  # a paragraph style that ttwell.presentation.word adds to the document
_INLINE = {"a", "abbr", "b", "br", "code", "em", "i", "kbd", "mark", "q", "s", "samp", "small", "span",
           "strong", "sub", "sup", "u", "var"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
_SKIP = {"script", "style", "head", "title", "template", "noscript", "svg", "button"}
_NUMBER = re.compile(r"^[\s\u2212+\-\u2013(<>~]*[\d.,]+\s*(%|pp)?\)?$|^\[c\]$|^\u2013$")


def set_font(style_or_run, *, size: float | None = None, colour: str | None = None, bold: bool | None = None,
             italic: bool | None = None, name: str = FONT) -> None:
    """Set the font of a python-docx style or run; arguments left as None are inherited.

    Parameters
    ----------
    style_or_run : docx style or run
    size : float, optional
        Points.
    colour : str, optional
        Hex RGB without ``#``, for example ``"005EB8"``.
    bold, italic : bool, optional
    name : str, default Arial
    """
    font = style_or_run.font
    font.name = name
    # The default template gives headings theme fonts, which win over a named font: drop them.
    fonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:cs"), name)
    if size is not None:
        font.size = Pt(size)
    if colour is not None:
        font.color.rgb = RGBColor.from_string(colour)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


# --- HTML to a small tree -----------------------------------------------------------------------------------

class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict | None = None):
        self.tag, self.attrs, self.children = tag, attrs or {}, []

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append(" ")
            elif child.tag not in _SKIP and "anchor-link" not in child.classes():
                parts.append(child.text())
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def find_all(self, tag: str, *, into_tables: bool = True):
        for child in self.children:
            if isinstance(child, _Node):
                if child.tag == tag:
                    yield child
                if into_tables or child.tag != "table":
                    yield from child.find_all(tag, into_tables=into_tables)


class _TreeBuilder(HTMLParser):
    """Builds a :class:`_Node` tree; stray end tags are ignored, unclosed tags end with their parent."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {k: (v or "") for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, {k: (v or "") for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(source: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(source)
    builder.close()
    return builder.root


# --- HTML to Word ----------------------------------------------------------------------------------------

class DocxWriter:
    """Appends notebook content (HTML fragments, pictures, plain text) to a python-docx document."""

    def __init__(self, doc):
        self.doc = doc
        section = doc.sections[0]
        self.text_width = section.page_width - section.left_margin - section.right_margin

    # - blocks -

    def _follows_table(self) -> bool:
        return self.doc.element.body[-2].tag.endswith("}tbl")  # [-1] is the section's properties

    def _add_paragraph(self, style: str | None):
        after_table = self._follows_table()
        paragraph = self.doc.add_paragraph(style=style)
        if after_table and style != FOOTNOTE_STYLE:  # a table has no space after it of its own
            paragraph.paragraph_format.space_before = Pt(8)
        return paragraph

    def html(self, source: str) -> None:
        """Add an HTML fragment: headings, paragraphs, lists, tables and embedded images, in order."""
        self._blocks(parse_html(source), style=None, depth=0)

    def _blocks(self, node: _Node, style: str | None, depth: int) -> None:
        # Inline content between blocks (text in a div or a list item) gathers into one paragraph.
        pending: list = []
        for child in node.children:
            if isinstance(child, str) or child.tag in _INLINE:
                pending.append(child)
                continue
            self._paragraph(pending, style)
            pending = []
            self._block(child, style, depth)
        self._paragraph(pending, style)

    def _block(self, node: _Node, style: str | None, depth: int) -> None:
        tag = node.tag
        if tag in _SKIP or tag == "hr":
            return
        if re.fullmatch(r"h[1-6]", tag):
            text = node.text()
            if text:
                self.doc.add_heading(text, level=min(int(tag[1]), 4))
        elif tag == "p":
            footnote = "ttwell-footnote" in node.classes()
            self._paragraph(node.children, FOOTNOTE_STYLE if footnote else style)
        elif tag == "ul":
            bullet = "List Bullet" if depth == 0 else f"List Bullet {min(depth + 1, 3)}"
            for item in (c for c in node.children if isinstance(c, _Node) and c.tag == "li"):
                self._blocks(item, bullet, depth + 1)
        elif tag == "ol":
            # Numbers are written out: Word's list numbering would carry on from one list to the next.
            items = [c for c in node.children if isinstance(c, _Node) and c.tag == "li"]
            for number, item in enumerate(items, start=int(node.attrs.get("start") or 1)):
                item.children.insert(0, f"{number}. ")
                self._blocks(item, "List Continue", depth + 1)
        elif tag == "table":
            self._table(node)
        elif tag == "pre":
            self.preformatted("".join(_raw_text(node)))
        elif tag == "img":
            self._html_image(node)
        elif tag == "blockquote":
            self._blocks(node, "Quote", depth)
        else:  # div, section, li, figure ...: only their content matters
            self._blocks(node, style, depth)

    def _paragraph(self, nodes: list, style: str | None) -> None:
        if not any((isinstance(n, str) and n.strip()) or (isinstance(n, _Node) and n.text()) for n in nodes):
            return
        paragraph = self._add_paragraph(style)
        for node in nodes:
            self._inline(paragraph, node, bold=False, italic=False, mono=False)
        if paragraph.runs:  # HTML ignores space at the ends of a block
            paragraph.runs[0].text = paragraph.runs[0].text.lstrip()
            paragraph.runs[-1].text = paragraph.runs[-1].text.rstrip()

    def _inline(self, paragraph, node, *, bold: bool, italic: bool, mono: bool) -> None:
        if isinstance(node, str):
            text = re.sub(r"\s+", " ", node)
            if paragraph.runs and paragraph.runs[-1].text.endswith(" "):
                text = text.lstrip()
            if text:
                run = paragraph.add_run(text)
                run.bold, run.italic = bold or None, italic or None
                if mono:
                    set_font(run, name=MONO_FONT)
            return
        if node.tag in _SKIP or "anchor-link" in node.classes():
            return
        if node.tag == "br":
            paragraph.add_run().add_break()
            return
        bold = bold or node.tag in ("b", "strong")
        italic = italic or node.tag in ("em", "i")
        mono = mono or node.tag in ("code", "kbd", "samp")
        for child in node.children:
            self._inline(paragraph, child, bold=bold, italic=italic, mono=mono)
        href = node.attrs.get("href", "") if node.tag == "a" else ""
        if href.startswith(("http://", "https://")) and href != node.text():
            paragraph.add_run(f" ({href})")  # a printed board paper cannot be clicked

    def preformatted(self, text: str) -> None:
        """Add text output (a stream or a plain value) line by line in a fixed-width font."""
        lines = text.rstrip("\n").split("\n")
        if not any(line.strip() for line in lines):
            return
        paragraph = self._add_paragraph(None)
        for i, line in enumerate(lines):
            run = paragraph.add_run(line)
            set_font(run, name=MONO_FONT, size=9)
            if i < len(lines) - 1:
                run.add_break()
        paragraph.paragraph_format.space_after = Pt(6)

    # - tables -

    def _table(self, node: _Node) -> None:
        caption = next(node.find_all("caption", into_tables=False), None)
        rows = []  # (cells, is header row); a cell is (text, right-aligned, is th)
        for tr in node.find_all("tr", into_tables=False):
            cells = [c for c in tr.children if isinstance(c, _Node) and c.tag in ("th", "td")]
            if cells:
                in_head = _within(node, tr, "thead") or all(c.tag == "th" for c in cells)
                rows.append(([(c.text(), _right_aligned(c), c.tag == "th") for c in cells], in_head))
        if not rows:
            return
        if self._follows_table():
            self.doc.add_paragraph()  # Word joins two tables that touch into one
        if caption is not None and caption.text():
            self.doc.add_paragraph(caption.text(), style="Caption")
        n_cols = max(len(cells) for cells, _ in rows)
        table = self.doc.add_table(rows=len(rows), cols=n_cols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for size in (9, 8, 7.5):  # a wide table gets smaller text before any word has to break
            widths, fits = _column_widths(rows, n_cols, self.text_width, size)
            if fits:
                break
        _cell_margins(table, CELL_MARGIN_PT)
        for r, (cells, in_head) in enumerate(rows):
            row = table.rows[r]
            _row_property(row, "w:cantSplit")
            if in_head and all(h for _, h in rows[: r + 1]):
                _row_property(row, "w:tblHeader")  # repeated at the top of each page
            for c in range(n_cols):
                cell = row.cells[c]
                cell.width = widths[c]
                text, right, is_th = cells[c] if c < len(cells) else ("", False, False)
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(0)
                if right:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                run = paragraph.add_run(text)
                set_font(run, size=size, bold=in_head or (is_th and c == 0) or None,
                         colour="FFFFFF" if in_head else None)
                if in_head:
                    _shade(cell, NHS_BLUE.lstrip("#"))  # white on NHS Blue: 6.38:1
        for c, width in enumerate(widths):
            table.columns[c].width = width

    # - pictures -

    def picture(self, png: bytes, alt: str | None, width_px: float | None = None) -> None:
        """Add a chart as a picture of at most the text width, its alt text set as the picture's description."""
        width = self.text_width
        if width_px:
            width = min(width, Emu(int(float(width_px) / 96 * 914400)))  # CSS pixels are 1/96 inch
        after_table = self._follows_table()
        try:
            shape = self.doc.add_picture(io.BytesIO(png), width=width)
        except UnrecognizedImageError:  # say what was there rather than lose it silently
            self._add_paragraph(None).add_run(f"[Image could not be shown: {alt or 'no description'}]")
            return
        shape._inline.docPr.set("descr", alt or NO_ALT)
        paragraph = self.doc.paragraphs[-1]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if after_table:
            paragraph.paragraph_format.space_before = Pt(8)

    def _html_image(self, node: _Node) -> None:
        match = re.match(r"data:image/(png|jpeg);base64,(.*)", node.attrs.get("src", ""), flags=re.DOTALL)
        if match:
            self.picture(base64.b64decode(match.group(2)), node.attrs.get("alt"), node.attrs.get("width"))
        elif node.attrs.get("alt"):
            self._add_paragraph(None).add_run(f"[Image: {node.attrs['alt']}]")


def _raw_text(node: _Node):
    for child in node.children:
        yield child if isinstance(child, str) else "".join(_raw_text(child))


def _within(root: _Node, target: _Node, tag: str) -> bool:
    return any(target is tr for section in root.find_all(tag, into_tables=False)
               for tr in section.find_all("tr", into_tables=False))


def _right_aligned(cell: _Node) -> bool:
    style = cell.attrs.get("style", "").replace(" ", "").lower()
    if "text-align:right" in style or cell.attrs.get("align", "").lower() == "right":
        return True
    if "text-align:" in style or cell.tag == "th":
        return False
    return bool(_NUMBER.match(cell.text()))  # markdown tables carry no alignment: numbers go right


def _column_widths(rows, n_cols: int, total: int, size: float) -> tuple[list[int], bool]:
    """Column widths (EMU) that fill the text width, and whether they fit without breaking a word or a value.

    Each column first gets room for its longest word, or its whole text for a short value such as "< 0.001";
    what is left goes to the columns whose text is longer than that, in proportion to how much longer.
    """
    char, padding = 0.65 * size * 12700, (2 * CELL_MARGIN_PT + 2) * 12700  # ~a bold Arial character, in EMU
    least, most = [3.0] * n_cols, [3.0] * n_cols
    for cells, in_head in rows:
        for c, (text, _, _) in enumerate(cells):
            unbroken = len(text) if (len(text) <= 12 and not in_head) else max(map(len, text.split() or [""]))
            least[c] = max(least[c], unbroken)
            most[c] = max(most[c], min(len(text), 60))
    least = [w * char + padding for w in least]
    most = [max(w * char + padding, low) for w, low in zip(most, least)]
    if sum(least) > total:  # too wide for the page even so: shrink alike and let long words wrap
        return [int(total * w / sum(least)) for w in least], False
    if sum(most) <= total:  # everything fits on one line: share the spare width alike
        return [int(w * total / sum(most)) for w in most], True
    spare, wanted = total - sum(least), sum(m - low for m, low in zip(most, least))
    return [int(low + spare * (m - low) / wanted) for m, low in zip(most, least)], True


def _cell_margins(table, points: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(int(points * 20)))  # twentieths of a point
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    # Word rejects a file whose table properties are out of schema order: tblCellMar comes before tblLook.
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        table._tbl.tblPr.append(margins)


def _row_property(row, name: str) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement(name))


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)
