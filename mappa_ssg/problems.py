"""Problems found in content, reported compiler-style as ``path:line:col: message``.

The whole pipeline collects problems instead of raising on the first one, so an author sees
every mistake in one run.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Iterator

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) in one place of one file."""

    path: str
    line: int
    col: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"


@dataclass(frozen=True)
class Position:
    """Where something is: a project-relative path and a 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1


@dataclass
class Problems:
    """An ordered collection of problems; stages add to it and the pipeline stops if any are errors."""

    items: list[Problem] = field(default_factory=list)
    # What each unfinished item was ("figure", "review"), in order: see unfinished().
    left_to_do: list[str] = field(default_factory=list)

    def add(self, where: Position, message: str, severity: str = ERROR) -> None:
        self.items.append(Problem(where.path, where.line, where.col, message, severity))

    def warn(self, where: Position, message: str) -> None:
        self.add(where, message, WARNING)

    def unfinished(self, where: Position, message: str, kind: str) -> None:
        """Something the author has still to do (a TODO figure, a REVIEW: line). A warning, not an
        error: it makes its report a draft, which is left out of the published site instead of
        stopping everyone else's reports from being built."""
        self.warn(where, message)
        self.left_to_do.append(kind)

    def downgrade(self, start: int) -> None:
        """Make the errors found since ``len(items) == start`` warnings (they were in a draft)."""
        self.items[start:] = [Problem(p.path, p.line, p.col, p.message, WARNING) for p in self.items[start:]]

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        # De-duplicate too: the same mistake can be reached by two checks.
        return sorted(set(self.items), key=lambda p: (p.path, p.line, p.col, p.message))

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self.items)


class ContentError(Exception):
    """Raised by library entry points when content has errors; carries every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean "x"?)' hint, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
