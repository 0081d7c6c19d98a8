"""Domain errors. The web layer and the CLI turn each into a response or message in one place."""

from __future__ import annotations

from dataclasses import dataclass, field


class ZhizaoError(Exception):
    """Base class of every error the library raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ZhizaoError):
    """The thing does not exist, or the actor may not know that it does."""


class Forbidden(ZhizaoError):
    """The actor is known but may not do this."""


class NotAuthenticated(ZhizaoError):
    """No valid login."""


@dataclass(frozen=True)
class Problem:
    """One problem with input: where it is (row, column; 1-based as a spreadsheet shows) and what."""

    message: str
    row: int | None = None
    column: str | None = None
    severity: str = "error"  # "error" | "warning"


class InvalidInput(ZhizaoError):
    """Input that cannot be accepted. Carries the problems found, each with its row and column."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = problems or []


@dataclass
class Problems:
    """A collector used while validating: add problems, then raise if any is an error."""

    items: list[Problem] = field(default_factory=list)

    def error(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.items.append(Problem(message, row, column, "error"))

    def warning(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.items.append(Problem(message, row, column, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]
