"""The template machinery: :class:`Column` and :class:`Template`, the :func:`column` builder, and the columns
that several templates share word for word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ttwell.inputs.templates.enums import ROLE_FAMILIES, TENURE_BANDS

TYPES = ("str", "int", "float", "bool", "date", "month", "enum")


@dataclass(frozen=True)
class Column:
    """One column of an input template.

    ``minimum``/``maximum`` bound numbers (errors outside); ``warn_above`` flags unusual but possible values.
    """

    name: str
    type: str
    required: bool
    description: str
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    warn_above: float | None = None
    min_exclusive: bool = False
    example: str = ""

    def expected(self) -> str:
        """Plain-English statement of what a value must look like."""
        if self.type == "date":
            return "a date as dd/mm/yyyy (for example 31/03/2024) or yyyy-mm-dd"
        if self.type == "month":
            return "a month as yyyy-mm (for example 2024-03)"
        if self.type == "bool":
            return "true or false (blank means false)"
        if self.type == "enum":
            shown = ", ".join(self.enum[:8]) + (", ..." if len(self.enum) > 8 else "")
            return f"one of: {shown}"
        if self.type in ("int", "float"):
            kind = "a whole number" if self.type == "int" else "a number"
            limits = []
            if self.minimum is not None:
                limits.append(f"{'above' if self.min_exclusive else 'at least'} {self.minimum:g}")
            if self.maximum is not None:
                limits.append(f"at most {self.maximum:g}")
            return kind + (" " + " and ".join(limits) if limits else "")
        return "text"


@dataclass(frozen=True)
class Template:
    """One input file: its columns and the rules a whole row or file must keep."""

    kind: str
    filename: str
    title: str
    description: str
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    # (earlier, later): later must be on or after earlier when both are given
    ordered: tuple[tuple[str, str], ...] = ()
    month_end: tuple[str, ...] = ()
    defaults: dict = field(default_factory=dict)
    # A header with no rows can be genuine (no leavers this year); then it is a warning, not an error.
    may_be_empty: bool = False

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def column(name, type_, required, description, **kw) -> Column:
    """One template column; ``enum`` may be any sequence of allowed values."""
    if "enum" in kw and kw["enum"] is not None:
        kw["enum"] = tuple(kw["enum"])
    return Column(name, type_, required, description, **kw)


# Columns that several templates define word for word (survey responses, training, exit/stay reasons).
ROLE_FAMILY_COLUMN = column("role_family", "enum", False, "Coarse role family.", enum=ROLE_FAMILIES,
                            example="low_intensity")
TENURE_BAND_COLUMN = column("tenure_band", "enum", False, "Tenure band.", enum=TENURE_BANDS, example="1_2y")
