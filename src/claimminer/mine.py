"""Long runs: one shard per input file, a manifest of what was done, resumable, in parallel.

A task is one input file: a worker reads it, runs its own pipeline (built once per worker
process) and writes `RUN_DIR/shards/NAME.jsonl` atomically, returning only a small summary.
The manifest is rewritten atomically after every finished task, so a run killed halfway
loses at most the files in flight, and `--resume` repeats none that finished. The executor is
anything with `submit`: a local process pool, or a Dask cluster's `Client.get_executor()`.
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
        """The manifest of a run directory, or an empty one."""
        path = run_dir / MANIFEST
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = {key: FileResult(**{**value, "deleted": tuple(value.get("deleted", ()))})
                     for key, value in data["files"].items()}  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ClaimMinerError(f"{path}: not a claimminer manifest ({error})") from error
        return cls(files)


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

        _PIPELINES[spec] = build_pipeline(spec.model, spec.syntax, spec.recogniser)
    return _PIPELINES[spec]


def mine_file(path: str, shard: str, spec: PipelineSpec = DEFAULT_SPEC) -> FileResult:
    """Read one input, extract, write its shard atomically; never raises for bad input."""
    from claimminer.pipeline import process

    deleted: list[str] = []
    read: list[Document] = []
    problem = ""
    try:
        for document in read_documents(Path(path), deleted):
            read.append(document)
    except ClaimMinerError as error:
        problem = str(error).removeprefix(f"{path}: ")
    if not read and problem:
        return FileResult(path, "", 0, "skipped", problem)
    written = write_jsonl(process(_pipeline(spec), read), Path(shard))
    status = "partial" if problem else "done"
    return FileResult(path, Path(shard).name, written, status, problem, tuple(deleted))


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
) -> Manifest:
    """Run the tasks (in this process without an executor) and keep the manifest current."""
    (run_dir / SHARDS).mkdir(parents=True, exist_ok=True)

    def record(result: FileResult) -> None:
        manifest.files[result.input] = result
        with atomic_writer(run_dir / MANIFEST) as handle:
            handle.write(manifest.to_json())
        if on_result is not None:
            on_result(result)

    if executor is None:
        for path, shard in tasks:
            record(mine_file(path, shard, spec))
        return manifest
    futures: list[Future[FileResult]] = [
        executor.submit(mine_file, path, shard, spec) for path, shard in tasks
    ]
    for future in as_completed(futures):
        record(future.result())
    return manifest


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
