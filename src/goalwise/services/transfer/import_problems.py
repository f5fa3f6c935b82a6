"""An import's problems: every one named by its line, and a refusal that names the first fifty.

A file with one systematic mistake (a date format, a column off by one) has a problem on every
line; a refusal names the first :data:`MAX_PROBLEMS` and counts the rest with the lines they are
on. :class:`ProblemLog` gathers the problems of a file read in batches and keeps only what a
refusal shows, so that a million bad lines are counted, not held (with ``skip_bad`` the summary
lists every problem, so all are kept).
"""

from __future__ import annotations

from collections.abc import Iterable

from goalwise.core.errors import Problem
from goalwise.core.transfer.import_batch import line_of

__all__ = ["MAX_PROBLEMS", "ProblemLog", "by_line", "first_problems"]

#: How many problems a refusal names one by one (a file with one systematic mistake has thousands).
MAX_PROBLEMS = 50


def by_line(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` in line order (line 0, the whole file, first; a line's own order kept)."""
    return sorted(problems, key=line_of)


def first_problems(problems: list[Problem]) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems, and one more that counts the rest."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = problems[MAX_PROBLEMS:]
    return [*problems[:MAX_PROBLEMS], _more(len(rest), len({line_of(p) for p in rest}))]


def _more(problems: int, lines: int) -> Problem:
    return Problem(
        "import-more-problems",
        "file",
        f"{problems} more problems on {lines} more lines.",
        "Fix the lines above (often one cause), or run with --dry-run --skip-bad --json for the full list.",
    )


class ProblemLog:
    """An import's problems in line order, gathered batch by batch.

    With ``skip_bad`` every problem is kept (the summary lists them all). A refusal names only
    the first :data:`MAX_PROBLEMS`, so past those only the count of problems and of their lines is
    kept. Problems of the whole file (line 0) are few (one a metric at most) and come first.
    """

    def __init__(self, keep_all: bool) -> None:
        self.keep_all = keep_all
        self.file: list[Problem] = []
        self.lines: list[Problem] = []
        self.more = 0
        self.more_lines = 0
        self._first_more_line = 0
        self._last_more_line = 0

    def __bool__(self) -> bool:
        return bool(self.file or self.lines)

    def add(self, problems: Iterable[Problem]) -> None:
        """Add problems of later lines than those added before (line 0 problems at any time)."""
        for problem in problems:
            line = line_of(problem)
            if line == 0:
                self.file.append(problem)
            elif self.keep_all or len(self.lines) < MAX_PROBLEMS:
                self.lines.append(problem)
            else:
                if not self.more:
                    self._first_more_line = line
                if line != self._last_more_line:
                    self.more_lines += 1
                    self._last_more_line = line
                self.more += 1

    def all(self) -> list[Problem]:
        """Every problem kept, line 0 first (all of them with ``keep_all``)."""
        return self.file + self.lines

    def shown(self) -> list[Problem]:
        """What a refusal names: :func:`first_problems` of every problem, from what was kept."""
        kept = self.all()
        if not self.more:
            return first_problems(kept)
        rest = kept[MAX_PROBLEMS:]
        lines = {line_of(p) for p in rest}
        # Lines come in order: only the last kept line can also have problems past the kept ones.
        shared = 1 if self._first_more_line in lines else 0
        return [*kept[:MAX_PROBLEMS], _more(len(rest) + self.more, len(lines) + self.more_lines - shared)]
