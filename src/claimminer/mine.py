"""Long runs: one shard per input file, a manifest of what was done, resumable, in parallel.

A task is one input file: a worker reads it, runs its own pipeline (built once per worker
process) and writes `RUN_DIR/shards/NAME.jsonl` atomically, returning only a small summary.
Each finished task is appended to a journal at once and the manifest is rewritten atomically
from time to time, so a run killed halfway loses at most the files in flight, and `--resume`
repeats none that finished. The executor is anything with `submit`: a local process pool, or
a Dask cluster's `Client.get_executor()`.
One run at a time holds a run directory (`run_lock`): a second `mine` on it is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from claimminer.errors import ClaimMinerError, InputError
from claimminer.formats import read_documents
from claimminer.io import atomic_writer, iter_jsonl, write_jsonl
from claimminer.model import Document
from claimminer.settings import PipelineSpec

MANIFEST = "manifest.json"
# Results since the manifest was last rewritten, one JSON line each: appending a line per
# file keeps the cost per file constant where rewriting the whole manifest grew with the run.
JOURNAL = "manifest.journal"
CHECKPOINT_SECONDS = 30.0
# Input bytes per task: small files go through the pipeline together (see `mine_files`).
BYTES_PER_TASK = 2_000_000
LOCK = "mine.lock"
SHARDS = "shards"
_PIPELINES: dict[PipelineSpec, Any] = {}
DEFAULT_SPEC = PipelineSpec()


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one task did with one input file."""

    input: str
    shard: str
    documents: int
    status: str  # "done", "partial" (broke after some documents) or "skipped"
    reason: str = ""
    deleted: tuple[str, ...] = ()


@dataclass
class Manifest:
    """What a run directory holds: a result per input file, in input order."""

    files: dict[str, FileResult] = field(default_factory=dict)

    def to_json(self) -> str:
        """Sorted JSON, so the manifest of a resumed run equals an uninterrupted one's."""
        files = {key: asdict(result) for key, result in sorted(self.files.items())}
        statuses = Counter(result.status for result in self.files.values())
        summary = {
            "documents": sum(r.documents for r in self.files.values()),
            **{f"files_{status}": statuses[status] for status in ("done", "partial", "skipped")},
        }
        return json.dumps({"summary": summary, "files": files}, indent=1, sort_keys=True) + "\n"

    @classmethod
    def load(cls, run_dir: Path) -> Manifest:
        """The manifest of a run directory with its journal replayed, or an empty one."""
        files: dict[str, FileResult] = {}
        path = run_dir / MANIFEST
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                files = {key: _result(value) for key, value in data["files"].items()}
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise ClaimMinerError(f"{path}: not a claimminer manifest ({error})") from error
        journal = run_dir / JOURNAL
        if journal.exists():
            lines = journal.read_text(encoding="utf-8").splitlines()
            for number, line in enumerate(lines, start=1):
                try:
                    result = _result(json.loads(line))
                except (ValueError, TypeError) as error:
                    if number == len(lines):
                        break  # the last line of a run killed while writing it
                    raise ClaimMinerError(f"{journal}:{number}: not a result ({error})") from error
                files[result.input] = result
        return cls(files)


def _result(value: dict[str, Any]) -> FileResult:
    return FileResult(**{**value, "deleted": tuple(value.get("deleted", ()))})


def holds_a_run(run_dir: Path) -> bool:
    """Whether a mine has recorded results in the folder (a manifest or its journal)."""
    return (run_dir / MANIFEST).exists() or (run_dir / JOURNAL).exists()


@contextmanager
def run_lock(run_dir: Path) -> Iterator[None]:
    """Hold `RUN_DIR/mine.lock`, naming this process, for as long as the run lasts.

    A lock whose process is alive (or on another host, where that cannot be checked) refuses
    the run; a lock left by a process that is gone is taken over.

    Raises:
        ClaimMinerError: another live `mine` holds the directory.

    """
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ClaimMinerError(f"{run_dir}: cannot use as a run folder: {error.strerror}") from error
    path = run_dir / LOCK
    ours = {"pid": os.getpid(), "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}  # fmt: skip
    while True:
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _lock_holder(path)
            if holder is not None and _alive(holder):
                raise ClaimMinerError(
                    f"{run_dir}: in use by mine process {holder.get('pid')} on "
                    f"{holder.get('host')} since {holder.get('started')}; wait for it, or delete "
                    f"{path} if that process is gone"
                ) from None
            path.unlink(missing_ok=True)  # left by a process that is gone: take it over
            continue
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(ours, handle)
        break
    try:
        yield
    finally:
        holder = _lock_holder(path)
        if holder is not None and holder.get("pid") == ours["pid"]:
            path.unlink(missing_ok=True)


def _lock_holder(path: Path) -> dict[str, Any] | None:
    """The lock's record; None when it vanished or is unreadable (a crash while writing)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _alive(holder: dict[str, Any]) -> bool:
    """Whether the lock's process still runs; on another host, assume it does."""
    if holder.get("host") != socket.gethostname():
        return True
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def shard_name(path: Path) -> str:
    """A shard file name that is readable and unique for the input's absolute path."""
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:10]
    return f"{path.name}.{digest}.jsonl"


def _pipeline(spec: PipelineSpec) -> Any:
    """This process's pipeline, built on first use (once per worker)."""
    if spec not in _PIPELINES:
        from claimminer.pipeline import build_pipeline

        _PIPELINES[spec] = build_pipeline(
            spec.model, spec.syntax, spec.recogniser, for_process=True
        )
    return _PIPELINES[spec]


def mine_files(
    tasks: Sequence[tuple[str, str]],
    spec: PipelineSpec = DEFAULT_SPEC,
    encoding: str | None = None,
) -> list[FileResult]:
    """Read several inputs, extract from all in one stream, write each one's shard atomically.

    Many small files (one abstract each) share the pipeline's batches and memory zone
    instead of paying for their own; each file still gets its own shard and result.
    """
    from claimminer.pipeline import process

    readings = [_read(path, encoding) for path, _ in tasks]
    stream = (document for documents, _, _ in readings for document in documents)
    processed = iter(process(_pipeline(spec), stream))
    results = []
    for (path, shard), (documents, deleted, problem) in zip(tasks, readings, strict=True):
        if not documents and problem:
            results.append(FileResult(path, "", 0, "skipped", problem))
            continue
        mined = [next(processed) for _ in documents]
        written = write_jsonl(mined, Path(shard))
        status = "partial" if problem else "done"
        results.append(FileResult(path, Path(shard).name, written, status, problem, deleted))
    return results


def _read(path: str, encoding: str | None) -> tuple[list[Document], tuple[str, ...], str]:
    """The documents of one input, the parts deleted from them, and a problem that cut it short."""
    deleted: list[str] = []
    read: list[Document] = []
    problem = ""
    try:
        for document in read_documents(Path(path), deleted, encoding):
            read.append(document)
    except ClaimMinerError as error:
        problem = str(error).removeprefix(f"{path}: ")
    return read, tuple(deleted), problem


def group_tasks(
    tasks: Sequence[tuple[str, str]], workers: int, most_bytes: int = BYTES_PER_TASK
) -> list[list[tuple[str, str]]]:
    """Consecutive tasks in groups of about `most_bytes` of input, four groups per worker at least.

    A large file (a PubMed baseline file) is a group of its own; a folder of one-abstract
    files goes in groups of a few hundred.
    """
    most_files = max(1, len(tasks) // (4 * workers))
    groups: list[list[tuple[str, str]]] = []
    size = 0
    for task in tasks:
        weight = _size(task[0])
        if not groups or len(groups[-1]) >= most_files or size + weight > most_bytes:
            groups.append([])
            size = 0
        groups[-1].append(task)
        size += weight
    return groups


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # unreadable: its own error when read


def plan(inputs: Sequence[Path], run_dir: Path, manifest: Manifest) -> list[tuple[str, str]]:
    """(input, shard path) for every input the manifest does not list as finished."""
    tasks = []
    for path in inputs:
        key = str(path)
        finished = manifest.files.get(key)
        shard = run_dir / SHARDS / shard_name(path)
        if finished is not None and (finished.status == "skipped" or shard.exists()):
            continue
        tasks.append((key, str(shard)))
    return tasks


def run(
    tasks: Sequence[tuple[str, str]],
    run_dir: Path,
    manifest: Manifest,
    executor: Executor | None,
    spec: PipelineSpec = DEFAULT_SPEC,
    on_result: Callable[[FileResult], None] | None = None,
    workers: int = 1,
    encoding: str | None = None,
) -> Manifest:
    """Run the tasks (in this process without an executor) and keep the manifest current.

    Tasks go in groups of files (`group_tasks`), enough groups to keep `workers` busy.
    Each result is appended to the journal as it comes; the manifest is rewritten (and the
    journal emptied) every CHECKPOINT_SECONDS and at the end.
    """
    (run_dir / SHARDS).mkdir(parents=True, exist_ok=True)
    with Journal(run_dir, manifest) as journal:

        def record(result: FileResult) -> None:
            journal.record(result)
            if on_result is not None:
                on_result(result)

        groups = group_tasks(tasks, workers)
        if executor is None:
            for group in groups:
                for result in mine_files(group, spec, encoding):
                    record(result)
        else:
            futures: list[Future[list[FileResult]]] = [
                executor.submit(mine_files, group, spec, encoding) for group in groups
            ]
            for future in as_completed(futures):
                for result in future.result():
                    record(result)
    return manifest


class Journal:
    """Records results into a manifest: a line per result now, the whole manifest now and then."""

    def __init__(self, run_dir: Path, manifest: Manifest) -> None:
        self.run_dir = run_dir
        self.manifest = manifest
        self.handle: Any = None
        self.written = time.monotonic()

    def __enter__(self) -> Journal:
        self.handle = (self.run_dir / JOURNAL).open("a", encoding="utf-8")
        return self

    def record(self, result: FileResult) -> None:
        """Add one result; a line in the journal, flushed so a killed run keeps it."""
        self.manifest.files[result.input] = result
        self.handle.write(json.dumps(asdict(result), sort_keys=True) + "\n")
        self.handle.flush()
        if time.monotonic() - self.written >= CHECKPOINT_SECONDS:
            self.checkpoint()

    def checkpoint(self) -> None:
        """Rewrite the manifest with every result so far, then empty the journal."""
        with atomic_writer(self.run_dir / MANIFEST) as handle:
            handle.write(self.manifest.to_json())
        self.handle.truncate(0)
        self.handle.seek(0)
        self.written = time.monotonic()

    def __exit__(self, *_: object) -> None:
        self.checkpoint()
        self.handle.close()
        (self.run_dir / JOURNAL).unlink(missing_ok=True)


def iter_run_documents(source: Path) -> Iterator[Document]:
    """The documents of a run directory's shards (sorted by name), or of one JSONL file."""
    if source.is_dir():
        shards = sorted((source / SHARDS).glob("*.jsonl"))
        if not shards:
            raise InputError(source, "no shards/*.jsonl here (not a run directory)")
        for shard in shards:
            yield from iter_jsonl(shard)
    else:
        yield from iter_jsonl(source)
