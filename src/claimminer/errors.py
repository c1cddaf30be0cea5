"""Exceptions that reach the user as one-line messages naming the file and line at fault."""

from __future__ import annotations

from pathlib import Path


class ClaimMinerError(Exception):
    """Base class: anything the command line reports without a traceback."""


class InputError(ClaimMinerError):
    """An input file or directory that cannot be read as a document."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class DataFileError(ClaimMinerError):
    """A malformed line in a lexicon, rule, cue, JSONL or brat file."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {problem}")
