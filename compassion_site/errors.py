"""Content errors that name the file, the field and the line, collected rather than raised one by one.

Volunteers and translators edit this site: one build should tell them everything that is
wrong, in sentences, and never show them a traceback.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ContentError:
    """One problem in one source file."""

    path: str
    line: int | None
    field: str | None
    message: str

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.field or "", self.message)

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f" (field '{self.field}')" if self.field else ""
        return f"{where}{what}: {self.message}"


@dataclass
class ErrorCollector:
    """Gathers errors while loading, so a single run reports all of them."""

    root: Path
    errors: list[ContentError] = field(default_factory=list)

    def add(self, path: Path | str, message: str, *, line: int | None = None, field: str | None = None) -> None:
        self.errors.append(ContentError(self.relative(path), line, field, message))

    def relative(self, path: Path | str) -> str:
        """The path from the project root, naming a symbolic link itself, not what it points to
        (a link may point outside the project, nowhere, or round in a loop)."""
        given = Path(path)
        path = Path(os.path.abspath(given))
        for root in (Path(os.path.abspath(self.root)), self.root.resolve()):
            if path.is_relative_to(root):
                return path.relative_to(root).as_posix()
        return given.as_posix()  # a name already given from the root (e.g. 'mkdocs.yml'), or outside it

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentErrors(sort_errors(self.errors))


class ContentErrors(Exception):
    """Raised with every error found, formatted as one readable report."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__(self.report())

    @classmethod
    def merged(cls, reports: list[ContentErrors]) -> ContentErrors:
        """One report for several editions' checks: an error in a source file that every
        edition reads is the same (equal) ContentError in each, and is listed once."""
        return cls(sort_errors([error for report in reports for error in report.errors]))

    def report(self) -> str:
        n = len(self.errors)
        head = f"The content has {n} error{'s' if n != 1 else ''}; nothing was published:"
        return "\n".join([head, *(f"  - {e}" for e in self.errors)])


def sort_errors(errors: list[ContentError]) -> list[ContentError]:
    """Unique errors in file, then line order."""
    return sorted(set(errors), key=ContentError.sort_key)


_OS_REASONS = {errno.ENOSPC: "the disk is full; free some space and build again",
               errno.EDQUOT: "the disk quota is used up; free some space and build again",
               errno.EACCES: "permission denied; check who owns the folder and that it may be written",
               errno.EPERM: "permission denied; check who owns the folder and that it may be written",
               errno.EROFS: "the file system is read-only; build in a folder that may be written"}


def os_error_message(exc: OSError) -> str:
    """Which path, and why, in words: never a traceback."""
    where = exc.filename or "a file"
    reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return f"cannot write or read {where}: {reason}"

