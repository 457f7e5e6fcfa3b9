"""Reading training confidence: long and wide forms, answer scales, and every bad input named by file, row, column."""

from __future__ import annotations

import pandas as pd
import pytest

from ttwell.inputs import io
from ttwell.errors import ParameterError
from ttwell.inputs.templates import TEMPLATES

HEADER = "programme_id,session_id,session_date,participant_pid,team_code,role_family,timepoint,area_id,confidence_pct,response_date\n"
AREAS = "programme_id,area_id,area_label\nP1,1,First area\nP1,2,Second area\n"


def long_rows(*rows: str) -> str:
    return HEADER + "".join(r + "\n" for r in rows)


# Two attendees, two areas, pre and post: the reference every other form must reproduce.
GOOD_LONG = long_rows(
    "P1,S1,12/06/2024,AAA111,T01,low_intensity,pre,1,40,10/06/2024",
    "P1,S1,12/06/2024,AAA111,T01,low_intensity,pre,2,50,10/06/2024",
    "P1,S1,12/06/2024,AAA111,T01,low_intensity,post,1,80,12/06/2024",
    "P1,S1,12/06/2024,AAA111,T01,low_intensity,post,2,90,12/06/2024",
    "P1,S1,12/06/2024,BBB222,T02,high_intensity,pre,1,60,11/06/2024",
    "P1,S1,12/06/2024,BBB222,T02,high_intensity,pre,2,70,11/06/2024",
    "P1,S1,12/06/2024,BBB222,T02,high_intensity,post,1,100,12/06/2024",
    "P1,S1,12/06/2024,BBB222,T02,high_intensity,post,2,0,12/06/2024",
)
GOOD_WIDE = (
    "Programme ID,Session ID,Session Date,Participant PID,Team Code,Role Family,Pre 1,Pre 2,Post-1,POST_2,"
    "pre_response_date,post_response_date\n"
    "P1,S1,12/06/2024,AAA111,T01,low_intensity,40,50,80,90,10/06/2024,12/06/2024\n"
    "P1,S1,12/06/2024,BBB222,T02,high_intensity,60,70,100,0,11/06/2024,12/06/2024\n"
)


def write(tmp_path, text: str, name: str = "training_confidence.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(problems):
    return [p for p in problems if p.severity == "error"]


def one(problems, **match):
    found = [p for p in problems if all(getattr(p, k) == v for k, v in match.items())]
    assert len(found) == 1, "\n".join(p.describe() for p in problems)
    return found[0]


def canonical(table: pd.DataFrame) -> pd.DataFrame:
    key = ["programme_id", "participant_pid", "timepoint", "area_id"]
    return table.sort_values(key).reset_index(drop=True)


def test_templates_are_declared():
    t = TEMPLATES["training_confidence"]
    assert t.column_names() == ["programme_id", "session_id", "session_date", "participant_pid", "team_code",
                                "role_family", "timepoint", "area_id", "confidence_pct", "response_date"]
    assert t.required_columns() == ["programme_id", "session_date", "participant_pid", "timepoint", "area_id",
                                    "confidence_pct"]
    assert t.unique == (("programme_id", "participant_pid", "timepoint", "area_id"),)
    assert t.column("timepoint").enum == ("pre", "post", "follow_up")
    assert TEMPLATES["training_areas"].column_names() == ["programme_id", "area_id", "area_label"]
    assert TEMPLATES["training_areas"].unique == (("programme_id", "area_id"),)


def test_good_long_file_reads_without_problems(tmp_path):
    table, areas, problems = io.read_training(write(tmp_path, GOOD_LONG),
                                              areas_path=write(tmp_path, AREAS, "training_areas.csv"))
    assert problems == []
    assert list(table.columns) == TEMPLATES["training_confidence"].column_names()
    assert len(table) == 8 and len(areas) == 2
    assert table["confidence_pct"].tolist() == [40, 50, 80, 90, 60, 70, 100, 0]
    assert table.loc[0, "session_date"] == pd.Timestamp("2024-06-12")


def test_wide_form_converts_to_the_same_long_table(tmp_path):
    long_table, _, long_problems = io.read_training(write(tmp_path, GOOD_LONG, "long.csv"))
    wide_table, _, wide_problems = io.read_training(write(tmp_path, GOOD_WIDE, "wide.csv"))
    assert long_problems == [] and wide_problems == []
    pd.testing.assert_frame_equal(canonical(wide_table), canonical(long_table))


def test_wide_blank_cells_are_unanswered_areas(tmp_path):
    # BBB222 returned no post form: pre rows only, and no error.
    text = GOOD_WIDE.replace("60,70,100,0,11/06/2024,12/06/2024", "60,70,,,11/06/2024,")
    table, _, problems = io.read_training(write(tmp_path, text))
    assert errors(problems) == []
    bbb = table[table["participant_pid"] == "BBB222"]
    assert sorted(bbb["timepoint"]) == ["pre", "pre"]


def test_wide_unknown_and_misnamed_columns_are_reported(tmp_path):
    text = GOOD_WIDE.replace("pre_response_date,post_response_date\n", "pre_response_date,post_response_date,"
                             "notes,area3_pre\n").replace("12/06/2024\n", "12/06/2024,x,55\n")
    _, _, problems = io.read_training(write(tmp_path, text))
    assert one(problems, column="notes").severity == "warning"
    misnamed = one(problems, column="area3_pre")
    assert (misnamed.file, misnamed.row, misnamed.severity) == ("training_confidence.csv", 1, "error")
    assert "<timepoint>_<area_id>" in misnamed.expected


@pytest.mark.parametrize("form", ["long", "wide"])
def test_out_of_range_names_file_row_and_column(tmp_path, form):
    if form == "long":
        text, row, column = GOOD_LONG.replace("post,1,80,", "post,1,180,"), 4, "confidence_pct"
    else:
        # Columns are named as the file names them, the template's name in brackets (issue 10).
        text, row, column = GOOD_WIDE.replace("40,50,80,90", "40,50,180,90"), 2, "Post-1 (post_1)"
    _, _, problems = io.read_training(write(tmp_path, text))
    p = one(errors(problems), problem="out of range")
    assert (p.file, p.row, p.column, p.value) == ("training_confidence.csv", row, column, "180")
    assert "0 to 100" in p.expected


@pytest.mark.parametrize("form", ["long", "wide"])
def test_unknown_area_names_file_row_and_column(tmp_path, form):
    areas = write(tmp_path, "programme_id,area_id,area_label\nP1,1,First area\n", "training_areas.csv")
    path = write(tmp_path, GOOD_LONG if form == "long" else GOOD_WIDE)
    _, _, problems = io.read_training(path, areas_path=areas)
    found = [p for p in errors(problems) if p.problem == "unknown area"]
    expected_cells = ([(3, "area_id"), (5, "area_id"), (7, "area_id"), (9, "area_id")] if form == "long" else
                      [(2, "Pre 2 (pre_2)"), (2, "POST_2 (post_2)"), (3, "Pre 2 (pre_2)"), (3, "POST_2 (post_2)")])
    assert sorted((p.row, p.column) for p in found) == sorted(expected_cells)
    assert all(p.file == "training_confidence.csv" and p.value == "2" for p in found)
    assert "training_areas.csv" in found[0].expected


def test_area_of_another_programme_is_unknown(tmp_path):
    areas = write(tmp_path, "programme_id,area_id,area_label\nP2,1,A\nP2,2,B\n", "training_areas.csv")
    _, _, problems = io.read_training(write(tmp_path, GOOD_LONG), areas_path=areas)
    assert len([p for p in errors(problems) if p.problem == "unknown area"]) == 8


@pytest.mark.parametrize("form", ["long", "wide"])
def test_duplicate_pre_names_file_row_and_column(tmp_path, form):
    if form == "long":
        text = GOOD_LONG + "P1,S1,12/06/2024,AAA111,T01,low_intensity,pre,2,55,10/06/2024\n"
        row, column, first = 10, "programme_id + participant_pid + timepoint + area_id", 3
    else:
        # The attendee typed in twice, the second time with only the area 2 pre answer.
        text = GOOD_WIDE + "P1,S1,12/06/2024,AAA111,T01,low_intensity,,55,,,10/06/2024,\n"
        row, column, first = 4, "Pre 2 (pre_2)", 2
    _, _, problems = io.read_training(write(tmp_path, text))
    p = one(errors(problems), problem="duplicate answer")
    assert (p.file, p.row, p.column, p.value) == ("training_confidence.csv", row, column, "P1, AAA111, pre, 2")
    assert f"row {first}" in p.expected


@pytest.mark.parametrize("form", ["long", "wide"])
def test_post_before_pre_names_file_row_and_column(tmp_path, form):
    if form == "long":
        # BBB222's area 1 post form dated before the pre form.
        text = GOOD_LONG.replace("post,1,100,12/06/2024", "post,1,100,09/06/2024")
        row, column = 8, "response_date"
    else:
        text = GOOD_WIDE.replace("11/06/2024,12/06/2024", "11/06/2024,01/06/2024")
        row, column = 3, "post_response_date"
    _, _, problems = io.read_training(write(tmp_path, text))
    found = [p for p in errors(problems) if p.problem == "post dated before pre"]
    assert found, "\n".join(p.describe() for p in problems)
    assert {(p.file, p.row, p.column) for p in found} == {("training_confidence.csv", row, column)}
    assert "11/06/2024" in found[0].expected


def test_post_before_pre_uses_the_session_date_without_response_dates(tmp_path):
    text = long_rows("P1,S1,12/06/2024,AAA111,,,pre,1,40,",
                     "P1,S0,01/06/2024,AAA111,,,post,1,80,")
    _, _, problems = io.read_training(write(tmp_path, text))
    p = one(errors(problems), problem="post dated before pre")
    assert (p.row, p.column, p.value) == (3, "session_date", "01/06/2024")


@pytest.mark.parametrize("form", ["long", "wide"])
def test_missing_required_value_names_file_row_and_column(tmp_path, form):
    if form == "long":
        text, row = GOOD_LONG.replace("P1,S1,12/06/2024,BBB222,T02,high_intensity,pre,2",
                                      "P1,S1,12/06/2024,,T02,high_intensity,pre,2"), 7
    else:
        text, row = GOOD_WIDE.replace("BBB222", ""), 3
    _, _, problems = io.read_training(write(tmp_path, text))
    p = one(errors(problems), problem="missing value")  # once per attendee row, not once per area
    column = "participant_pid" if form == "long" else "Participant PID (participant_pid)"
    assert (p.file, p.row, p.column) == ("training_confidence.csv", row, column)


def test_missing_required_column_is_reported_on_the_header(tmp_path):
    text = GOOD_LONG.replace("session_date,", "when,")
    table, _, problems = io.read_training(write(tmp_path, text))
    p = one(errors(problems), problem="missing required column")
    assert (p.row, p.column) == (1, "session_date")
    assert table.empty


@pytest.mark.parametrize("scale, values, expected", [
    ("0-10", ("4", "5", "8", "9", "6", "7", "10", "0"), [40, 50, 80, 90, 60, 70, 100, 0]),
    ("1-5", ("1", "2", "3", "4", "5", "2.5", "5", "1"), [0, 25, 50, 75, 100, 37.5, 100, 0]),
])
def test_other_scales_are_converted_with_a_warning(tmp_path, scale, values, expected):
    lines = GOOD_LONG.splitlines()
    rows = [",".join(line.split(",")[:8] + [v] + line.split(",")[9:]) for line, v in zip(lines[1:], values)]
    table, _, problems = io.read_training(write(tmp_path, long_rows(*rows)), scale=scale)
    assert errors(problems) == []
    assert table["confidence_pct"].tolist() == expected
    warning = one(problems, severity="warning")
    assert warning.column == "confidence_pct" and f"from the {scale} scale" in warning.problem


def test_range_is_checked_on_the_declared_scale(tmp_path):
    # 11 is fine on 0-100 but out of range on 0-10; 0 is out of range on 1-5.
    text = long_rows("P1,S1,12/06/2024,AAA111,,,pre,1,11,", "P1,S1,12/06/2024,AAA111,,,post,1,0,")
    _, _, problems = io.read_training(write(tmp_path, text), scale="0-10")
    p = one(errors(problems), problem="out of range")
    assert (p.row, p.column, p.value) == (2, "confidence_pct", "11") and "0 to 10" in p.expected
    _, _, problems = io.read_training(write(tmp_path, text), scale="1-5")
    rows = sorted(p.row for p in errors(problems) if p.problem == "out of range")
    assert rows == [2, 3]


def test_default_scale_has_no_conversion_warning_but_flags_a_likely_0_10_form(tmp_path):
    _, _, problems = io.read_training(write(tmp_path, GOOD_LONG))
    assert problems == []
    small = GOOD_LONG.replace(",40,", ",4,").replace(",50,", ",5,").replace(",80,", ",8,").replace(
        ",90,", ",9,").replace(",60,", ",6,").replace(",70,", ",7,").replace(",100,", ",10,")
    _, _, problems = io.read_training(write(tmp_path, small))
    assert errors(problems) == [] and "0-10 scale" in one(problems, severity="warning").problem


def test_unknown_scale_is_a_parameter_error(tmp_path):
    with pytest.raises(ParameterError, match="0-10"):
        io.read_training(write(tmp_path, GOOD_LONG), scale="0-7")


def test_spreadsheet_rows_survive_blank_lines_and_xlsx(tmp_path):
    # A blank line between records must not shift the row numbers a user is sent to.
    text = GOOD_LONG.replace("\nP1,S1,12/06/2024,BBB222", "\n,,,,,,,,,\nP1,S1,12/06/2024,BBB222", 1)
    text = text.replace("post,2,0,", "post,2,-5,")
    _, _, problems = io.read_training(write(tmp_path, text))
    assert one(errors(problems), problem="out of range").row == 10
    table = pd.read_csv(tmp_path / "training_confidence.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "training_confidence.xlsx"
    table.to_excel(path, index=False)
    _, _, problems = io.read_training(path)
    assert one(errors(problems), problem="out of range").row == 10


def test_bad_areas_file_is_reported_not_raised(tmp_path):
    areas = write(tmp_path, "programme_id,area_id,area_label\nP1,1,A\nP1,1,B\n", "training_areas.csv")
    _, _, problems = io.read_training(write(tmp_path, GOOD_LONG), areas_path=areas)
    p = one(errors(problems), file="training_areas.csv")
    assert (p.row, p.problem) == (3, "duplicate key")


def test_missing_file_is_reported_not_raised(tmp_path):
    table, areas, problems = io.read_training(tmp_path / "nope.csv")
    assert table.empty and areas is None and problems[0].problem == "file not found"
