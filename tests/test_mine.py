"""`mine`: one shard per input, a manifest, resumable, local pool or Dask, same bytes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimminer import mine as mining
from claimminer.cli import app
from claimminer.errors import ClaimMinerError
from claimminer.io import find_inputs

PUBMED = (
    "<?xml version='1.0'?><PubmedArticleSet>"
    + "".join(
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{title}"
        "</ArticleTitle><Abstract><AbstractText>IL-12 strongly induces IFN-gamma in NK cells."
        "</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>"
        for pmid, title in (("101", "IL-10 inhibits TNF-alpha."), ("102", "IL-4 drives Th2 cells."))
    )
    + "</PubmedArticleSet>"
)


def invoke(*args: str | Path):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture()
def inputs(tmp_path: Path, corpus_dir: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("bemiss2002", "il2-overview", "il2-tcgf"):
        (folder / f"{name}.txt").write_bytes((corpus_dir / f"{name}.txt").read_bytes())
    (folder / "pubmed.xml.gz").write_bytes(gzip.compress(PUBMED.encode("utf-8")))
    return folder


def shard_bytes(run_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((run_dir / "shards").iterdir())}


def test_mine_writes_a_shard_per_file_and_a_manifest(tmp_path: Path, inputs: Path) -> None:
    (inputs / "broken.txt").write_bytes(b"\x00\x01binary")
    run_dir = tmp_path / "run"
    result = invoke("mine", inputs, "--out", run_dir)
    assert result.exit_code == 1  # one input was skipped, and said so
    assert "skipped" in result.stderr and "broken.txt" in result.stderr
    assert "documents from 5 files" in result.stderr
    assert len(shard_bytes(run_dir)) == 4
    manifest = mining.Manifest.load(run_dir)
    assert {Path(k).name: r.status for k, r in manifest.files.items()} == {
        "bemiss2002.txt": "done", "il2-overview.txt": "done", "il2-tcgf.txt": "done",
        "pubmed.xml.gz": "done", "broken.txt": "skipped",
    }  # fmt: skip
    assert sum(r.documents for r in manifest.files.values()) == 5  # 3 texts and 2 PMIDs
    graph_file = tmp_path / "net.csv"
    assert invoke("network", run_dir, "-o", graph_file, "--format", "csv").exit_code == 0
    assert "IL10" in graph_file.read_text()
    assert invoke("report", run_dir, "-o", tmp_path / "r.html").exit_code == 0


def _as_killed_before_a_checkpoint(run_dir: Path) -> None:
    """Leave what a kill before the first checkpoint leaves: a journal, no manifest."""
    finished = (run_dir / mining.MANIFEST).read_text(encoding="utf-8")
    lines = [json.dumps(entry, sort_keys=True) for entry in json.loads(finished)["files"].values()]
    (run_dir / mining.MANIFEST).unlink()
    (run_dir / mining.JOURNAL).write_text("\n".join(lines) + '\n{"input": "cut', encoding="utf-8")


@pytest.mark.parametrize("killed_before_a_checkpoint", [False, True])
def test_an_interrupted_run_resumed_equals_an_uninterrupted_one(
    tmp_path: Path, inputs: Path, killed_before_a_checkpoint: bool
) -> None:
    whole = tmp_path / "whole"
    assert invoke("mine", inputs, "--out", whole).exit_code == 0
    # a run killed after two files: only their shards and results exist
    cut = tmp_path / "cut"
    files, _ = find_inputs([inputs])
    tasks = mining.plan(files, cut, mining.Manifest())
    mining.run(tasks[:2], cut, mining.Manifest(), None)
    assert len(shard_bytes(cut)) == 2
    if killed_before_a_checkpoint:
        _as_killed_before_a_checkpoint(cut)
    assert invoke("mine", inputs, "--out", cut).exit_code != 0  # refuses to overwrite
    resumed = invoke("mine", inputs, "--out", cut, "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert "2 run now, 2 already done" in resumed.stderr
    assert shard_bytes(cut) == shard_bytes(whole)
    assert (cut / "manifest.json").read_bytes() == (whole / "manifest.json").read_bytes()
    assert not (cut / mining.JOURNAL).exists()


def test_the_journal_takes_a_line_per_result_and_the_manifest_now_and_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = mining.Manifest()
    results = [mining.FileResult(f"in/{n}.txt", f"{n}.jsonl", n, "done") for n in range(3)]
    monkeypatch.setattr(mining, "CHECKPOINT_SECONDS", 3600.0)
    with mining.Journal(tmp_path, manifest) as journal:
        for result in results[:2]:
            journal.record(result)
        assert not (tmp_path / mining.MANIFEST).exists()
        assert len((tmp_path / mining.JOURNAL).read_text().splitlines()) == 2
        assert mining.Manifest.load(tmp_path).files == manifest.files
        journal.checkpoint()
        assert (tmp_path / mining.JOURNAL).read_text() == ""
        journal.record(results[2])
        assert len(mining.Manifest.load(tmp_path).files) == 3
    assert json.loads((tmp_path / mining.MANIFEST).read_text())["summary"]["documents"] == 3
    assert not (tmp_path / mining.JOURNAL).exists()


def test_a_damaged_journal_line_is_an_error_with_its_line(tmp_path: Path) -> None:
    (tmp_path / mining.JOURNAL).write_text('not json\n{"input": "x"}\n', encoding="utf-8")
    with pytest.raises(ClaimMinerError, match=r"manifest.journal:1: not a result"):
        mining.Manifest.load(tmp_path)


def test_two_workers_give_the_same_shards(tmp_path: Path, inputs: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert invoke("mine", inputs, "--out", one).exit_code == 0
    assert invoke("mine", inputs, "--out", two, "--workers", "2").exit_code == 0
    assert shard_bytes(one) == shard_bytes(two)


def test_the_dask_engine_gives_the_local_engines_bytes(tmp_path: Path, inputs: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    local = tmp_path / "local"
    assert invoke("mine", inputs, "--out", local).exit_code == 0
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        result = invoke("mine", inputs, "--out", tmp_path / "dask", "--engine", "dask",
                        "--scheduler", cluster.scheduler_address)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert shard_bytes(tmp_path / "dask") == shard_bytes(local)


def write_lock(run_dir: Path, pid: int, host: str | None = None) -> Path:
    import json
    import socket

    run_dir.mkdir(parents=True, exist_ok=True)
    lock = run_dir / mining.LOCK
    record = {"pid": pid, "host": host or socket.gethostname(), "started": "2026-12-05T10:00"}
    lock.write_text(json.dumps(record), encoding="utf-8")
    return lock


def test_mine_refuses_a_run_folder_a_live_mine_holds(tmp_path: Path, inputs: Path) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        out = tmp_path / "run"
        lock = write_lock(out, holder.pid)
        result = invoke("mine", inputs, "--out", out, "--syntax", "none", "--recogniser", "none")
        assert result.exit_code != 0
        assert f"in use by mine process {holder.pid}" in result.output
        assert len(result.output.strip().splitlines()) == 1
        assert not (out / mining.MANIFEST).exists() and lock.exists()  # nothing touched
        other_host = write_lock(tmp_path / "elsewhere", 1, host="another-machine")
        # on another host the process cannot be checked: refused
        with (
            pytest.raises(mining.ClaimMinerError, match="another-machine"),
            mining.run_lock(other_host.parent),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_mine_takes_over_a_lock_left_by_a_dead_process(tmp_path: Path, inputs: Path) -> None:
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    out = tmp_path / "run"
    write_lock(out, gone.pid)
    result = invoke("mine", inputs, "--out", out, "--syntax", "none", "--recogniser", "none")
    assert result.exit_code == 0, result.output
    assert (out / mining.MANIFEST).exists()
    assert not (out / mining.LOCK).exists()  # released when the run ends


def test_mine_lock_names_this_process_while_held_and_refuses_a_second(tmp_path: Path) -> None:
    import json
    import os

    with mining.run_lock(tmp_path / "run"):
        record = json.loads((tmp_path / "run" / mining.LOCK).read_text(encoding="utf-8"))
        assert record["pid"] == os.getpid()
        refused = pytest.raises(mining.ClaimMinerError, match=f"mine process {os.getpid()}")
        with refused, mining.run_lock(tmp_path / "run"):
            pass
    assert not (tmp_path / "run" / mining.LOCK).exists()


def test_small_files_share_a_task_and_a_large_file_has_its_own(tmp_path: Path) -> None:
    tasks = []
    for number in range(40):
        path = tmp_path / f"{number}.txt"
        path.write_text("IL-2 activates T cells.", encoding="utf-8")
        tasks.append((str(path), str(tmp_path / f"{number}.jsonl")))
    big = tmp_path / "big.txt"
    big.write_text("x" * 5000, encoding="utf-8")
    tasks.insert(20, (str(big), str(tmp_path / "big.jsonl")))
    groups = mining.group_tasks(tasks, workers=1, most_bytes=1000)
    assert [task for group in groups for task in group] == tasks  # every task, in order
    assert [(str(big), str(tmp_path / "big.jsonl"))] in groups
    assert max(len(group) for group in groups) == 10  # four groups per worker at least
    assert len(mining.group_tasks(tasks, workers=2, most_bytes=1000)) >= 8
    assert mining.group_tasks(tasks[:3], workers=2) == [[task] for task in tasks[:3]]
