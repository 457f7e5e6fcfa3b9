"""The conventions behind the workforce indicators (leave of absence, leaver scope, excluded statuses).

One :class:`Options` object is built from the parameters and passed to every workforce calculation;
every report prints the conventions in force from :meth:`Options.describe`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ttwell.errors import ParameterError
from ttwell.inputs.templates import LEAVE_OF_ABSENCE_STATUSES

SCOPES = ("service", "trust")
LONG_TERM_DAYS = 28  # an episode of exactly 28 calendar days is long-term (domain spec 1.3)
FULL_TIME_HOURS_PER_WEEK = 37.5  # Agenda for Change; UNCONFIRMED in spec, used only for part-day absences


@dataclass(frozen=True)
class Options:
    """Conventions for the workforce indicators; every report prints the ones in force.

    Attributes
    ----------
    leave_of_absence_as_leaver : bool
        False (ttwell default, decision 8.4): staff on maternity/adoption leave or a career break stay in
        post. True: the NHS Digital convention, where starting such leave counts as leaving active service.
    exclude_statuses : tuple of str
        Assignment statuses whose days are not "available" for sickness absence (UNCONFIRMED default).
    scope : str
        ``service`` (default): a move to another service in the same trust is a leaver; ``trust``: it is not.
    one_year_days : int
        Days of continuous service that count as "1+ years" in the strategy's stability index.
    """

    leave_of_absence_as_leaver: bool = False
    exclude_statuses: tuple[str, ...] = tuple(LEAVE_OF_ABSENCE_STATUSES)
    scope: str = "service"
    one_year_days: int = 365

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ParameterError(f"scope must be one of {', '.join(SCOPES)}; got '{self.scope}'.")

    @classmethod
    def from_params(cls, params: dict) -> "Options":
        """The service's conventions from validated parameters (``ttwell.inputs.params.SERVICE_WORKFORCE_OPTIONS``).

        The baseline and the annual notebooks both build their options here from the same keys, so one year
        gives the same figures in both reports. A key the parameters lack takes the shared default.

        Examples
        --------
        >>> Options.from_params({"leave_of_absence_as_leaver": True, "leaver_scope": "trust"}).scope
        'trust'
        """
        from ttwell.inputs.params import SERVICE_WORKFORCE_OPTIONS

        chosen = {key: params.get(key, default) for key, default in SERVICE_WORKFORCE_OPTIONS.items()}
        return cls(leave_of_absence_as_leaver=chosen["leave_of_absence_as_leaver"], scope=chosen["leaver_scope"],
                   one_year_days=chosen["stability_one_year_days"])

    def describe(self) -> list[str]:
        loa = ("counted as leavers (NHS Digital convention)" if self.leave_of_absence_as_leaver
               else "not counted as leavers; they stay in post (ttwell default, differs from NHS Digital)")
        return [
            f"Maternity/adoption leave and career breaks: {loa}.",
            f"Days on {', '.join(s.replace('_', ' ') for s in self.exclude_statuses) or 'no status'} are not "
            "counted as available for sickness.",
            f"Leaver scope: {self.scope} (a move to another service in the same trust is "
            f"{'a leaver' if self.scope == 'service' else 'not a leaver'}).",
            f"Stability (strategy variant): staff with at least {self.one_year_days} days of continuous service.",
            f"Long-term sickness: episodes of {LONG_TERM_DAYS} calendar days or more.",
        ]
