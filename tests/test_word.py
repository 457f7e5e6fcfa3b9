"""Tests for ttwell.presentation.word: the Word board paper made from an executed notebook."""

from __future__ import annotations

import base64
import datetime as dt
import io
import shutil
import subprocess

import matplotlib

matplotlib.use("Agg")  # tests only: notebooks keep the inline backend

import docx  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

import ttwell  # noqa: E402
from ttwell.presentation import report, word
from ttwell.running import runner  # noqa: E402
from ttwell.errors import TtwellError  # noqa: E402

ALT = 'Sickness absence fell from 5.1% to 4.3% "overall"'
PRODUCED = dt.date(2025, 4, 1)


def _png_bytes() -> bytes:
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([1, 2, 3])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _table_output() -> dict:
    table = report.display_table(
        pd.DataFrame({"team": ["North", "South"], "rate": [0.123, None], "staff": [1234, None],
                      "suppressed": [False, True]}),
        percent_columns=["rate"], count_columns=["staff"], caption="Sickness absence by team",
        footnote="[c] = suppressed to protect confidentiality.", column_labels={"team": "Team", "rate": "Rate",
                                                                               "staff": "Staff"})
    return new_output("display_data", data={"text/html": table._repr_html_(), "text/plain": table.to_text()})


def all_text(document) -> str:
    """Every piece of text a reader can see: body paragraphs, table cells, headers and footers."""
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    parts += [t.text or "" for t in document.element.body.iter(qn("w:t"))]  # fields and anything else
    return "\n".join(parts)


@pytest.fixture
def paper(tmp_path):
    png = base64.b64encode(_png_bytes()).decode("ascii")
    nb = new_notebook(cells=[
        new_markdown_cell("# Staff wellbeing *baseline*\n\nThe rate was **4.3%** overall.\n\n## Summary\n\n"
                          "- first point\n- second point\n\n1. step one\n2. step two"),
        new_code_cell("secret_code_marker = 1", outputs=[
            new_output("display_data", data={"text/markdown": "### By team\n\nTeams differ *a little*.",
                                             "text/plain": "<IPython.core.display.Markdown object>"}),
            _table_output(),
            new_output("display_data", data={"image/png": png, "text/plain": "<IPython.core.display.Image object>"},
                       metadata={"image/png": {"alt": ALT, "width": 700}}),
        ]),
        new_code_cell("no_alt = 1", outputs=[new_output("display_data", data={"image/png": png})]),
        new_code_cell("provenance = 1", metadata={"tags": ["remove-cell"]},
                      outputs=[new_output("stream", name="stdout", text="REMOVED_CELL_OUTPUT\n")]),
        new_code_cell("key = 1", metadata={"tags": ["nbval-check-output"]},
                      outputs=[new_output("stream", name="stdout", text="NBVAL_TEST_PRINTOUT\n")]),
        new_code_cell("", metadata={"tags": ["papermill-error-cell-tag"]},
                      outputs=[new_output("stream", name="stdout", text="PAPERMILL_ERROR_MARKER\n")]),
        new_code_cell("hidden = 1", metadata={"tags": ["remove-output"]},
                      outputs=[new_output("stream", name="stdout", text="REMOVED_OUTPUT\n")]),
        new_code_cell("kept = 1", outputs=[new_output("stream", name="stdout", text="KEPT_OUTPUT\n")]),
        new_markdown_cell("## About this report\n\n| parameter | value |\n|---|---|\n| threshold | 11 |"),
    ])
    nbformat.write(nb, tmp_path / "baseline.ipynb")
    path = word.export_docx(tmp_path / "baseline.ipynb", tmp_path / "out" / "baseline.docx", produced=PRODUCED)
    assert path == tmp_path / "out" / "baseline.docx"
    return docx.Document(str(path))


def test_headings_use_word_heading_styles_in_notebook_order(paper):
    headings = [(p.style.name, p.text) for p in paper.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Staff wellbeing baseline"), ("Heading 2", "Summary"),
                        ("Heading 3", "By team"), ("Heading 2", "About this report")]


def test_nhs_styling_and_a4_portrait(paper):
    heading = paper.styles["Heading 1"]
    assert heading.font.name == "Arial" and str(heading.font.color.rgb) == "005EB8"
    assert paper.styles["Normal"].font.name == "Arial"
    section = paper.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
    assert Cm(1.5) <= section.left_margin <= Cm(2.5) and Cm(1.5) <= section.top_margin <= Cm(2.5)
    assert paper.core_properties.title == "Staff wellbeing baseline"


def test_paragraphs_lists_and_emphasis(paper):
    styles = {p.text: p.style.name for p in paper.paragraphs}
    assert styles["first point"] == "List Bullet" and styles["second point"] == "List Bullet"
    assert "1. step one" in styles and "2. step two" in styles
    rate = next(p for p in paper.paragraphs if p.text == "The rate was 4.3% overall.")
    assert [r.text for r in rate.runs if r.bold] == ["4.3%"]


def test_tables_keep_caption_header_suppressed_cells_and_footnote(paper):
    table = paper.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Team", "Rate", "Staff"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert [c.text for c in table.rows[1].cells] == ["North", "12.3%", "1,234"]
    assert [c.text for c in table.rows[2].cells] == ["South", "[c]", "[c]"]
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[1].cells[0].paragraphs[0].alignment != WD_ALIGN_PARAGRAPH.RIGHT
    body = list(paper.element.body)
    at = body.index(table._tbl)
    assert body[at - 1].xpath("string(.)") == "Sickness absence by team"  # the caption just above
    assert "Caption" in body[at - 1].xpath("string(.//w:pStyle/@w:val)")
    assert body[at + 1].xpath("string(.)") == "[c] = suppressed to protect confidentiality."
    about = paper.tables[1]  # a markdown table: header from its first row, numbers on the right
    assert [c.text for c in about.rows[0].cells] == ["parameter", "value"]
    assert about.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_charts_are_pictures_with_alt_text(paper):
    assert len(paper.inline_shapes) == 2
    descriptions = [shape._inline.docPr.get("descr") for shape in paper.inline_shapes]
    assert descriptions[0] == ALT
    assert descriptions[1] == word.NO_ALT  # a generic text only when none was given
    assert paper.inline_shapes[0].width <= Cm(17.01)  # never wider than the text


def test_no_code_and_no_test_printout(paper):
    text = all_text(paper)
    for hidden in ("secret_code_marker", "no_alt", "REMOVED_CELL_OUTPUT", "NBVAL_TEST_PRINTOUT",
                   "PAPERMILL_ERROR_MARKER", "REMOVED_OUTPUT", "hidden = 1", "kept = 1"):
        assert hidden not in text
    assert "KEPT_OUTPUT" in text  # outputs of ordinary cells stay, as in the HTML


def test_production_line_and_disclosure_note_in_footer(paper):
    footer = " ".join(p.text for p in paper.sections[0].footer.paragraphs)
    assert f"Produced on 01/04/2025 by ttwell {ttwell.__version__}" in footer
    assert "[c]" in footer
    assert word.production_line(PRODUCED) == f"Produced on 01/04/2025 by ttwell {ttwell.__version__}"


def test_title_from_metadata_when_the_notebook_has_no_top_heading(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("## Second-level heading")], metadata={"title": "Annual impact"})
    nbformat.write(nb, tmp_path / "a.ipynb")
    document = docx.Document(str(word.export_docx(tmp_path / "a.ipynb", tmp_path / "a.docx")))
    assert [(p.style.name, p.text) for p in document.paragraphs][:2] == [
        ("Heading 1", "Annual impact"), ("Heading 2", "Second-level heading")]


def test_unreadable_notebook_is_a_plain_error(tmp_path):
    with pytest.raises(TtwellError, match="does not exist"):
        word.export_docx(tmp_path / "missing.ipynb", tmp_path / "a.docx")
    (tmp_path / "bad.ipynb").write_text("not json", encoding="utf-8")
    with pytest.raises(TtwellError, match="not a readable notebook"):
        word.export_docx(tmp_path / "bad.ipynb", tmp_path / "a.docx")
    assert not (tmp_path / "a.docx").exists()


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_paper_to_pdf(paper, tmp_path):
    source = tmp_path / "out" / "baseline.docx"
    profile = tmp_path / "lo-profile"  # a private profile: a user's open LibreOffice must not interfere
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), str(source)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "pdf" / "baseline.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True).stdout.decode()
        assert "Produced on 01/04/2025" in text and "Sickness absence by team" in text


def test_a_real_run_writes_the_paper_with_tables_and_charts(tmp_path):
    folder = runner.run_notebook("pdsa_review", out_dir=tmp_path, html=False, excel=False, progress=lambda _: None)
    document = docx.Document(str(folder / "pdsa_review.docx"))
    assert len(document.tables) >= 2 and len(document.inline_shapes) >= 1
    assert all(shape._inline.docPr.get("descr") not in (None, "", word.NO_ALT) for shape in document.inline_shapes)
    text = all_text(document)
    nb = nbformat.read(folder / "pdsa_review.ipynb", as_version=4)
    headings, printouts = [], []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "markdown" and not tags & report.REMOVE_CELL_TAGS:
            headings += [line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("## ")]
        if tags & {"nbval-check-output", "remove-cell"}:
            printouts += [line.strip() for o in cell.get("outputs", []) for line in o.get("text", "").splitlines()]
        if cell.cell_type == "code":  # no code: no line of it that could not be ordinary prose
            assert not [line for line in cell.source.splitlines() if len(line) > 25 and "(" in line and line in text]
    assert printouts and not [line for line in printouts if line and line in text]
    shown = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert [h for h in shown if h in headings] == headings  # every section, in the notebook's order


def test_paper_open_in_word_is_a_plain_error(tmp_path, monkeypatch):
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Title")]), tmp_path / "a.ipynb")

    def locked(*_):
        raise PermissionError("locked")

    monkeypatch.setattr(report.os, "replace", locked)  # what Windows does while Word has the file open
    with pytest.raises(TtwellError, match=r"Close baseline\.docx in Word and run again"):
        word.export_docx(tmp_path / "a.ipynb", tmp_path / "baseline.docx")
