"""kaidah's exceptions. All derive from :class:`KaidahError`; each carries its details as attributes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLocation:
    """A place in a rulebook file. Line and column are 1-based; 0 means unknown."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a rulebook: ``location``, ``message`` and ``severity``."""

    location: SourceLocation
    message: str
    severity: str = "error"

    @property
    def file(self) -> str:
        return self.location.file

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


class KaidahError(Exception):
    """Base of every kaidah error."""


class LoadError(KaidahError):
    """The rulebook did not load or check. ``diagnostics`` lists every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class CaseError(KaidahError, ValueError):
    """A case's input is unknown, of the wrong type, or not an allowed value.

    ``field`` names the input and ``reason`` says why.
    """

    def __init__(self, field: str, reason: str):
        self.field = field
        self.reason = reason
        super().__init__(f"input '{field}': {reason}")


class FloatError(CaseError, TypeError):
    """A float was given where kaidah needs an exact value: money and rates are never binary
    floating point. Pass ``decimal.Decimal("150000.50")`` or the text ``"150000.50"``; for a
    DataFrame, :func:`kaidah.evaluate_frame` has the documented opt-in ``convert_floats=True``."""


class EvaluationError(KaidahError):
    """A decision could not be evaluated: a missing input, no parameter value in force, overflow...

    ``decision`` names it (the decision asked for, or one it uses), ``message`` says why,
    ``location`` is the place in its formula, ``input`` the input behind it when that is the
    cause (one the case does not give, or whose value was refused), else "".
    """

    def __init__(self, decision: str, message: str, location: SourceLocation | None = None, input: str = ""):
        self.decision = decision
        self.input = input
        self.message = message
        self.location = location or SourceLocation("")
        prefix = f"{self.location}: " if self.location.file else ""
        super().__init__(f"{prefix}decision '{decision}': {message}")
