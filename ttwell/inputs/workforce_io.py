"""Loading the workforce inputs of one service: each file read and checked, then checked against the others.

:func:`load_workforce` returns :class:`WorkforceData` (clean tables ready for ``ttwell.calculations.workforce``)
or raises one :class:`ttwell.errors.InputError` listing every problem in every file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ttwell.errors import InputError, Problem
from ttwell.inputs.reading import MAX_LISTED_PER_COLUMN, LoadedFile, cell_text, read_inputs, read_once
from ttwell.inputs.templates import TEMPLATES, WORKFORCE_INPUTS


@dataclass
class WorkforceData:
    """The validated workforce inputs of one service, ready for ``ttwell.calculations.workforce``."""

    staff_snapshot: pd.DataFrame
    absence: pd.DataFrame
    leavers: pd.DataFrame
    teams: pd.DataFrame
    establishment: pd.DataFrame | None = None
    reasons: pd.DataFrame | None = None
    files: list[LoadedFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def extract_date(self) -> pd.Timestamp:
        """The last snapshot date: open absence episodes run to here."""
        return self.staff_snapshot["snapshot_date"].max()


def _cross_file_problems(tables: dict[str, pd.DataFrame], names: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    teams = tables.get("teams")
    known_teams = set(teams["team_code"].dropna()) if teams is not None else None
    for kind in ("staff_snapshot", "leavers", "establishment"):
        table = tables.get(kind)
        if table is None or known_teams is None:
            continue
        unknown = table["team_code"].notna() & ~table["team_code"].isin(known_teams)
        for i in unknown[unknown].index[:MAX_LISTED_PER_COLUMN]:
            problems.append(Problem(names[kind], int(i) + 2, "team_code", str(table.loc[i, "team_code"]),
                                    f"a team_code listed in {names['teams']}", problem="unknown team"))
    snap, leavers, absence = tables.get("staff_snapshot"), tables.get("leavers"), tables.get("absence")
    if snap is not None and snap["snapshot_date"].notna().any():
        # A missing month-end would read as a month with nobody in post.
        present = set(snap["snapshot_date"].dropna().dt.to_period("M"))
        expected = pd.period_range(min(present), max(present), freq="M")
        for month in [m for m in expected if m not in present][:MAX_LISTED_PER_COLUMN]:
            problems.append(Problem(names["staff_snapshot"], None, "snapshot_date", None,
                                    f"rows for every month-end from {cell_text(min(present).end_time.normalize())} to "
                                    f"{cell_text(max(present).end_time.normalize())}",
                                    problem=f"no snapshot for the month-end {cell_text(month.end_time.normalize())}"))
    if snap is not None and leavers is not None and len(snap) and len(leavers):
        # A leaver still in post after leaving, unless they re-joined (a later service_start_date).
        joined = leavers.reset_index().merge(snap.reset_index(), on="staff_pid", suffixes=("_l", "_s"))
        wrong = joined[(joined["snapshot_date"] > joined["leaving_date"])
                       & (joined["service_start_date_s"] <= joined["leaving_date"])]
        wrong = wrong.sort_values("snapshot_date").drop_duplicates("index_l", keep="last")
        for _, r in wrong.head(MAX_LISTED_PER_COLUMN).iterrows():
            problems.append(Problem(
                names["leavers"], int(r["index_l"]) + 2, "leaving_date", cell_text(r["leaving_date"]),
                f"a date on or after the person's last snapshot ({names['staff_snapshot']} row "
                f"{int(r['index_s']) + 2} shows them in post on {cell_text(r['snapshot_date'])})",
                problem="leaver still in post after leaving"))
    if snap is not None and absence is not None and len(snap) and len(absence):
        unknown = ~absence["staff_pid"].isin(set(snap["staff_pid"]))
        for i in unknown[unknown].index[:MAX_LISTED_PER_COLUMN]:
            problems.append(Problem(names["absence"], int(i) + 2, "staff_pid", str(absence.loc[i, "staff_pid"]),
                                    f"a staff_pid present in {names['staff_snapshot']}", "warning",
                                    "episode of a person not in any snapshot; ignored"))
        late = absence["absence_start_date"] > snap["snapshot_date"].max()
        for i in late[late].index[:MAX_LISTED_PER_COLUMN]:
            problems.append(Problem(names["absence"], int(i) + 2, "absence_start_date",
                                    cell_text(absence.loc[i, "absence_start_date"]),
                                    f"a date on or before the last snapshot ({cell_text(snap['snapshot_date'].max())})",
                                    "warning", "episode after the extract date; ignored"))
    return problems


@read_once
def check_workforce_files(paths: dict[str, str | Path | None], maps: dict | None = None
                          ) -> tuple[dict[str, pd.DataFrame], list[Problem], list[LoadedFile]]:
    """Read and check every workforce input (keys are template kinds, ``maps`` optional column maps per kind);
    return tables, all problems, file info."""
    tables, readable, problems, files, names = read_inputs(paths, WORKFORCE_INPUTS, maps)
    problems += _cross_file_problems({k: t for k, t in readable.items() if len(t)}, names)
    return tables, problems, files


def load_workforce(paths: dict[str, str | Path | None], maps: dict | None = None) -> WorkforceData:
    """Load the workforce inputs, raising :class:`InputError` with every problem if any is an error.

    ``paths`` maps template kinds (``staff_snapshot``, ``absence``, ``leavers``, ``teams`` and optionally
    ``establishment``, ``reasons``) to files; ``maps`` optionally maps kinds to column maps (a path from
    ``ttwell.inputs.params.input_paths`` carries its own).
    """
    missing = [k for k in ("staff_snapshot", "absence", "leavers", "teams") if paths.get(k) is None]
    if missing:
        raise InputError([Problem("(parameters)", None, f"{k}_file", None, "a file path", problem="no file given")
                          for k in missing])
    tables, problems, files = check_workforce_files(paths, maps)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return WorkforceData(
        staff_snapshot=tables["staff_snapshot"], absence=tables["absence"], leavers=tables["leavers"],
        teams=tables["teams"], establishment=tables.get("establishment"), reasons=tables.get("reasons"),
        files=files, warnings=problems,
    )


def readiness_summary(data: WorkforceData) -> pd.DataFrame:
    """One row per input file: rows read, the dates it covers, encoding and how many warnings it raised.

    Returns columns ``input, file, rows, first_date, last_date, encoding, warnings``.
    """
    date_column = {"staff_snapshot": "snapshot_date", "absence": "absence_start_date", "leavers": "leaving_date",
                   "establishment": "month", "reasons": "response_date", "teams": None}
    tables = {"staff_snapshot": data.staff_snapshot, "absence": data.absence, "leavers": data.leavers,
              "establishment": data.establishment, "reasons": data.reasons, "teams": data.teams}
    rows = []
    for loaded in data.files:
        table, column = tables[loaded.kind], date_column[loaded.kind]
        first = last = None
        if column and table is not None and len(table):
            values = table[column].dropna()
            if isinstance(values.dtype, pd.PeriodDtype):
                values = values.dt.start_time
            first, last = values.min(), values.max()
        rows.append({"input": TEMPLATES[loaded.kind].title, "file": loaded.path.name, "rows": loaded.rows,
                     "first_date": first, "last_date": last, "encoding": loaded.encoding,
                     "warnings": sum(1 for w in data.warnings if w.file == loaded.path.name)})
    return pd.DataFrame(rows, columns=["input", "file", "rows", "first_date", "last_date", "encoding", "warnings"])
