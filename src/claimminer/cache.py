"""A small on-disk cache for data that is slow to build and fully determined by its inputs.

Entries are pickles named by a digest of everything they are built from (file contents,
claimminer's own source code, tokenizer rules), so a stale entry is never read: a changed input
gives a new name, and entries beyond the three last used of each kind are deleted. Set
CLAIMMINER_CACHE to choose the folder, or to an unwritable path to turn the cache off; without
a usable folder everything is simply built in memory.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import logging
import os
import pickle
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from claimminer import __version__

LOGGER = logging.getLogger(__name__)
T = TypeVar("T")
# Entries kept per kind: the current one and a few for other claimminer versions side by side.
KEEP_PER_KIND = 3


def cache_dir() -> Path:
    """$CLAIMMINER_CACHE, else $XDG_CACHE_HOME/claimminer, else ~/.cache/claimminer."""
    if configured := os.environ.get("CLAIMMINER_CACHE"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "claimminer"


@functools.cache
def _code_digest() -> bytes:
    """Digest of claimminer's own source: a code change must not read a pickle of old classes."""
    hasher = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        hasher.update(path.read_bytes())
    return hasher.digest()


def digest(parts: Iterable[str | bytes]) -> str:
    """A short hex digest of strings and bytes, with claimminer's own code mixed in."""
    hasher = hashlib.sha256(_code_digest())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()[:24]


def files_digest(paths: Iterable[Path]) -> str:
    """Digest of file names and contents."""
    parts: list[str | bytes] = []
    for path in sorted(paths):
        parts += [path.name, path.read_bytes()]
    return digest(parts)


@contextlib.contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """No garbage collection inside the block (while unpickling or building the pipeline).

    The tables are a few hundred thousand small objects that live as long as the process, and
    the collector's passes over them took three quarters of their load time. With `freeze`,
    everything alive at the end is moved out of the collector's sight (`gc.freeze`) before it
    is enabled again: otherwise its first pass, and every full pass of a long run, walks them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def load_or_build(kind: str, key: str, build: Callable[[], T], expected: type[T]) -> T:
    """The cached value for (kind, key), or `build()` stored for next time."""
    path = cache_dir() / f"{kind}-{key}.pickle"
    try:
        with path.open("rb") as handle, collector_paused():
            value = pickle.load(handle)
        if isinstance(value, expected):
            with contextlib.suppress(OSError):
                os.utime(path)  # in use: the last to be pruned
            return value
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError) as error:  # fmt: skip
        LOGGER.debug("no usable cache entry %s: %s", path, error)
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        prune(kind)
    except OSError as error:  # a read-only home: work without the cache
        LOGGER.info("cannot write the cache in %s: %s", path.parent, error)
    return value


def prune(kind: str, keep: int = KEEP_PER_KIND) -> list[Path]:
    """Delete all but the `keep` most recently used entries of `kind`; return the deleted.

    Every code or data change writes new entries under new digests; without this the cache
    grows by about 20 MB a version.
    """
    name = re.compile(rf"{re.escape(kind)}-[0-9a-f]+\.pickle")
    entries = [p for p in cache_dir().glob(f"{kind}-*.pickle") if name.fullmatch(p.name)]
    entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    deleted = []
    for stale in entries[keep:]:
        with contextlib.suppress(OSError):
            stale.unlink()
            deleted.append(stale)
    return deleted
