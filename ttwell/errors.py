"""ttwell's exceptions and the input-problem record.

Every error a user can cause is one of these, with a message in plain English that says what to do.
The CLI and the notebook runner print the message, never a traceback.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Problem", "TtwellError", "InputError", "ParameterError", "AnalysisError", "DisclosureError"]


def _problem_class() -> type:
    """Build :class:`Problem`, once, on first use (see the module's ``__getattr__``).

    Making a frozen dataclass costs about 1 ms at import, more than a 10,000-point SPC chart takes to compute, and
    most of ttwell imports this module only for its exceptions; so the class is made when first asked for. It is
    the same frozen dataclass either way (``dataclasses.replace`` and pickling work as usual).
    """

    class Problem:
        """One thing wrong with an input file.

        ``row`` is the row number as a spreadsheet shows it (the header is row 1, the first record row 2);
        ``None`` when the problem concerns the whole file or a whole column.
        """

        file: str
        row: int | None
        column: str | None
        value: str | None
        expected: str
        severity: str = "error"  # "error" stops the run; "warning" is reported and the run goes on
        problem: str = ""

        def as_dict(self) -> dict:
            return asdict(self)

        def describe(self) -> str:
            where = self.file
            if self.row is not None:
                where += f", row {self.row}"
            if self.column:
                where += f", column '{self.column}'"
            found = "" if self.value is None else f" found '{self.value}';"
            what = f" {self.problem}:" if self.problem else ""
            return f"{self.severity.upper()}: {where}:{what}{found} expected {self.expected}"

    Problem.__module__, Problem.__qualname__ = __name__, "Problem"
    for method in (Problem.as_dict, Problem.describe):
        method.__qualname__ = f"Problem.{method.__name__}"
    return dataclass(frozen=True)(Problem)


def __getattr__(name: str):
    # PEP 562: ``Problem`` is made on first access (``from ttwell.errors import Problem`` included) and then kept
    # as an ordinary module attribute, so this runs once.
    if name == "Problem":
        globals()["Problem"] = cls = _problem_class()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class TtwellError(Exception):
    """Base class for every error ttwell raises on purpose."""


class InputError(TtwellError):
    """One or more input files do not match their template. Carries every problem found."""

    def __init__(self, problems: list[Problem], intro: str | None = None):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = intro or f"{len(errors)} problem(s) in the input files; nothing was run."
        lines = [head, *(p.describe() for p in self.problems)]
        super().__init__("\n".join(lines))


class ParameterError(TtwellError):
    """A parameter (from a YAML file, the command line or a notebook) is missing or invalid."""


class AnalysisError(TtwellError):
    """The data are valid but an analysis cannot be done as asked (for example, too few months)."""


class DisclosureError(TtwellError):
    """An output would reveal a staff identifier or a group below the disclosure threshold."""
