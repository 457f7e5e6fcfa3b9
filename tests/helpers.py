"""Small builders for hand-worked test datasets: write CSVs in template form, then load them the real way."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ttwell.inputs import io
from ttwell.inputs.templates import TEMPLATES

TEAMS = [{"team_code": "T01", "team_name": "Team one"}, {"team_code": "T02", "team_name": "Team two"}]


def snap(date: str, pid: str, team: str = "T01", role: str = "pwp", fte: float = 1.0,
         start: str = "01/01/2020", contract: str = "permanent", status: str = "active", **extra) -> dict:
    """One staff snapshot row (dates dd/mm/yyyy as users' files have them)."""
    return {"snapshot_date": date, "staff_pid": pid, "team_code": team, "role_group": role, "afc_band": "band_5",
            "contract_type": contract, "assignment_status": status, "fte": fte, "service_start_date": start, **extra}


def episode(eid: str, pid: str, start: str, end: str | None, reason: str = "other", **extra) -> dict:
    return {"episode_id": eid, "staff_pid": pid, "absence_start_date": start, "absence_end_date": end or "",
            "absence_reason_group": reason, **extra}


def leaver(pid: str, date: str, reason: str = "Voluntary Resignation - Work Life Balance", team: str = "T01",
           role: str = "pwp", fte: float = 1.0, start: str = "01/01/2020", **extra) -> dict:
    return {"staff_pid": pid, "leaving_date": date, "leaving_reason_esr": reason, "fte_at_leaving": fte,
            "role_group": role, "team_code": team, "service_start_date": start, **extra}


def month_ends(first: str, last: str) -> list[str]:
    """Month-end dates dd/mm/yyyy from the month of ``first`` to the month of ``last`` (ISO inputs)."""
    return [d.strftime("%d/%m/%Y") for d in pd.date_range(first, last, freq="ME")]


def write_inputs(folder: Path, *, snapshot: list[dict], absence: list[dict] | None = None,
                 leavers: list[dict] | None = None, establishment: list[dict] | None = None,
                 teams: list[dict] | None = None) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"staff_snapshot": snapshot, "absence": absence or [], "leavers": leavers or [],
              "teams": teams or TEAMS}
    if establishment is not None:
        tables["establishment"] = establishment
    paths = {}
    for kind, rows in tables.items():
        columns = TEMPLATES[kind].column_names()
        frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
        path = folder / TEMPLATES[kind].filename
        frame.to_csv(path, index=False)
        paths[kind] = path
    return paths


def load(folder: Path, **tables) -> io.WorkforceData:
    """Write the tables and load them through ttwell.inputs.io, as a user's files would be."""
    paths = write_inputs(folder, **tables)
    data = io.load_workforce(paths)
    return data


def synthetic_params(path: Path, notebook: str = "baseline", extra: str = "", drop: tuple[str, ...] = ()) -> Path:
    """Write a parameter file naming every shipped synthetic input of ``notebook`` (absolute paths), plus
    ``extra`` YAML lines; keys in ``drop`` are left out. With a params file nothing falls back to shipped data,
    so a test that wants the synthetic files must name them."""
    from ttwell.inputs.params import REPO_ROOT, file_keys, load_params

    shipped = load_params(None, notebook)
    lines = [f"{k}: {(REPO_ROOT / shipped[k]).as_posix()}" for k in file_keys(notebook)
             if shipped[k] and k not in drop]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def only(problems, severity="error"):
    """The problems of one severity."""
    return [p for p in problems if p.severity == severity]


def one_problem(problems, **match):
    """The one problem whose attributes match; fails listing every problem when there is not exactly one."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in match.items())]
    assert len(found) == 1, "\n".join(p.describe() for p in problems)
    return found[0]
