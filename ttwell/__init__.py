"""ttwell: evaluation kit for NHS Talking Therapies staff-wellbeing strategies."""

__version__ = "0.1.0"
