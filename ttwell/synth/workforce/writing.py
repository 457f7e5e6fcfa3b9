"""The workforce tables as the text of their CSV files, and writing them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ttwell.inputs.templates import TEMPLATES

FLOAT_DECIMALS = 2  # every float column: fixed 2 d.p., so files are byte-identical for a seed


def as_text(values: pd.Series, column_type: str) -> np.ndarray:
    """One column as the text ttwell writes: dd/mm/yyyy dates, true/false, fixed decimals, blank for missing.

    Values are formatted once per distinct value (factorize), which keeps a million-row snapshot fast.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if column_type == "date":
        text = list(pd.DatetimeIndex(uniques).strftime("%d/%m/%Y"))
    elif column_type == "month":
        text = [str(u) for u in uniques]
    elif column_type == "float":
        text = [f"{u:.{FLOAT_DECIMALS}f}" for u in uniques]
    elif column_type == "bool":
        text = ["true" if u else "false" for u in uniques]
    elif column_type == "int":
        text = [str(int(u)) for u in uniques]
    else:
        text = [str(u) for u in uniques]
    return np.array(text + [""], dtype=object)[codes]  # code -1 (missing) picks the trailing ""


def workforce_as_text(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames as the text cells of their CSV files: what ``ttwell.inputs.io`` reads from a user's extract.

    Useful to validate generated data in memory (``ttwell.inputs.io.validate_frame``) without writing files.

    Examples
    --------
    >>> from ttwell.synth.workforce import generate_workforce
    >>> text = workforce_as_text(generate_workforce(seed=2024))
    >>> text["leavers"].loc[0, "leaving_date"]
    '01/04/2022'
    """
    return {kind: pd.DataFrame({c.name: as_text(frame[c.name], c.type) for c in TEMPLATES[kind].columns})
            for kind, frame in frames.items()}


def write_workforce(frames: dict[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """Write each frame as its template's CSV: header in template order, UTF-8, ``\\n`` line ends.

    Returns the paths written, in the order of ``frames``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, text in workforce_as_text(frames).items():
        path = folder / TEMPLATES[kind].filename
        text.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    return written
