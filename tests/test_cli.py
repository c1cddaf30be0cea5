"""The command line through typer's CliRunner: outputs, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
import spacy
from typer.testing import CliRunner

from claimminer.cli import app

runner = CliRunner()


def invoke(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("claimminer: error: ")
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


def test_cli_extract_writes_one_json_object_per_document(tmp_path: Path, corpus_dir: Path) -> None:
    out = tmp_path / "claims.jsonl"
    result = invoke("extract", corpus_dir, "-o", out)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == sorted(p.stem for p in corpus_dir.glob("*.txt"))
    entity = records[0]["entities"][0]
    assert set(entity) == {"id", "start", "end", "text", "label", "concept_id", "concept_name"}
    claim = records[0]["claims"][0]
    assert {"id", "subject", "predicate", "object", "negated", "hedged", "context", "sentence",
            "rule", "confidence"} <= set(claim)  # fmt: skip
    assert f"wrote {len(records)} documents" in result.stderr


def test_cli_extract_lists_skipped_inputs_and_keeps_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("IL-12 induces IFN-gamma.", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "latin1.txt").write_bytes("IL-2 \xe9t\xe9".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    out = tmp_path / "out" / "claims.jsonl"
    result = invoke("extract", tmp_path, tmp_path / "missing.txt", "-o", out)
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["good"]
    for name, reason in [
        ("binary.txt", "binary"),
        ("latin1.txt", "not UTF-8"),
        ("empty.txt", "empty file"),
        ("missing.txt", "no such file"),
    ]:
        assert f"skipped {tmp_path / name}: " in result.stderr
        assert reason in result.stderr
    assert "skipped 4 inputs" in result.stderr


def test_cli_extract_with_model_path(tmp_path: Path) -> None:
    base = spacy.blank("en")
    base.to_disk(tmp_path / "tiny")
    (tmp_path / "doc.txt").write_text("IL-12 strongly induces IFN-gamma.", encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    result = invoke("extract", tmp_path / "doc.txt", "-o", out, "--model", tmp_path / "tiny")
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["claims"][0]["predicate"] == "increases"


def test_cli_unknown_model_is_one_line(tmp_path: Path, corpus_dir: Path) -> None:
    result = invoke("extract", corpus_dir, "-o", tmp_path / "x.jsonl", "--model", "nope_model")
    assert_one_line_error(result, "cannot load spaCy pipeline 'nope_model'")


def test_cli_output_that_is_a_directory_fails_before_work(tmp_path: Path, corpus_dir: Path) -> None:
    result = invoke("extract", corpus_dir, "-o", tmp_path)
    assert_one_line_error(result, str(tmp_path), "is a directory")


def test_cli_evaluate_gold_against_itself(tmp_path: Path, gold_dir: Path) -> None:
    scores = tmp_path / "eval.json"
    errors = tmp_path / "errors.jsonl"
    result = invoke("evaluate", "--gold", gold_dir, "--pred", gold_dir, "--json", scores,
                    "--errors", errors)  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(scores.read_text())
    for section in ("entities", "claims"):
        assert data[section]["precision"] == data[section]["recall"] == data[section]["f1"] == 1.0
    assert "claims (strict)" in result.stdout
    assert errors.read_text() == ""


def test_cli_evaluate_reports_bad_jsonl_line(tmp_path: Path, gold_dir: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"id": "a", "text": "x"}\nnot json\n', encoding="utf-8")
    result = invoke("evaluate", "--gold", gold_dir, "--pred", pred)
    assert_one_line_error(result, f"{pred}:2:")


def test_cli_evaluate_reports_bad_gold_line(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text("IL-2 acts.", encoding="utf-8")
    (tmp_path / "d.ann").write_text("T1\tCYTOKINE 0 4\tIL-2\nT2\tCYTOKINE 0 99\tIL-2\n")
    result = invoke("evaluate", "--gold", tmp_path, "--pred", tmp_path)
    assert_one_line_error(result, f"{tmp_path / 'd.ann'}:2:", "outside the text")


def test_cli_missing_gold_folder_is_one_line(tmp_path: Path) -> None:
    result = invoke("evaluate", "--gold", tmp_path / "nope", "--pred", tmp_path)
    assert_one_line_error(result, "not a directory")


def test_cli_network_writes_graphml(tmp_path: Path, corpus_dir: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    assert invoke("extract", corpus_dir, "-o", claims).exit_code == 0
    graphml = tmp_path / "net.graphml"
    result = invoke("network", claims, "-o", graphml)
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(graphml, force_multigraph=True)
    names = {data["name"] for _, data in graph.nodes(data=True)}
    assert {"IL2", "IFNG", "IL10", "calcitriol", "vitamin D", "colitis"} <= names
    negated = [d for _, _, d in graph.edges(data=True) if d["n_negated"] > 0]
    assert negated and all(d["score"] == 0.0 for d in negated if d["n_negated"] == d["n_claims"])


def test_cli_network_missing_input_is_one_line(tmp_path: Path) -> None:
    result = invoke("network", tmp_path / "none.jsonl", "-o", tmp_path / "n.graphml")
    assert_one_line_error(result, "none.jsonl", "cannot read")


def test_cli_run_writes_claims_evaluation_and_network(
    tmp_path: Path, corpus_dir: Path, gold_dir: Path
) -> None:
    out = tmp_path / "out"
    result = invoke("run", corpus_dir, "--gold", gold_dir, "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "claims.jsonl",
        "evaluation.json",
        "network.graphml",
        "report.html",
    ]
    evaluation = json.loads((out / "evaluation.json").read_text())
    assert set(evaluation["entities"]) >= {"precision", "recall", "f1"}
    assert set(evaluation["claims"]) >= {"precision", "recall", "f1"}
    assert "entities (strict)" in result.stdout


def test_cli_run_on_missing_corpus_is_one_line(tmp_path: Path) -> None:
    result = invoke("run", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert_one_line_error(result, "nowhere", "not a directory")
    assert not (tmp_path / "out").exists()


def test_cli_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("claimminer ")


@pytest.mark.parametrize("entry", [["-m", "claimminer"]])
def test_cli_module_entry_point_runs(entry: list[str]) -> None:
    completed = subprocess.run(
        [sys.executable, *entry, "--help"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0
    for command in ("extract", "evaluate", "network", "run"):
        assert command in completed.stdout


def test_cli_export_brat_round_trips_through_evaluate(tmp_path: Path, corpus_dir: Path) -> None:
    """Exported predictions read back as gold score 1.0 against the JSONL they came from, and
    score against the real gold exactly as the JSONL does."""
    seed = tmp_path / "seed"
    seed.mkdir()
    for name in ("bemiss2002", "il2-overview", "il2-tcgf"):
        (seed / f"{name}.txt").write_bytes((corpus_dir / f"{name}.txt").read_bytes())
    claims = tmp_path / "claims.jsonl"
    assert invoke("extract", seed, "-o", claims).exit_code == 0
    exported = tmp_path / "brat"
    result = invoke("export", claims, "--format", "brat", "-o", exported)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in exported.iterdir()) == sorted(
        [*(f"{n}.{s}" for n in ("bemiss2002", "il2-overview", "il2-tcgf") for s in ("ann", "txt")),
         "annotation.conf"]
    )  # fmt: skip
    assert "Genotype\tArg:<EVENT>, Value:" in (exported / "annotation.conf").read_text()

    back = tmp_path / "back.json"
    assert invoke("evaluate", "--gold", exported, "--pred", claims, "--json", back).exit_code == 0
    report = json.loads(back.read_text())
    assert report["entities"]["f1"] == report["claims"]["f1"] == 1.0
    assert report["claims"]["tp"] > 10
    assert all(v["accuracy"] == 1.0 for v in report["claim_attribute_accuracy"].values())
    assert "(none)" not in report["claims_by_rule"]  # the Rule attribute came back too

    via_jsonl, via_brat = tmp_path / "a.json", tmp_path / "b.json"
    gold = corpus_dir.parent / "gold"
    invoke("evaluate", "--gold", gold, "--pred", claims, "--json", via_jsonl)
    invoke("evaluate", "--gold", gold, "--pred", exported, "--json", via_brat)
    assert json.loads(via_jsonl.read_text()) == json.loads(via_brat.read_text())


def test_cli_network_formats_and_filters(tmp_path: Path, corpus_dir: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    assert invoke("extract", corpus_dir / "bemiss2002.txt", "-o", claims).exit_code == 0
    sif = tmp_path / "net.sif"
    result = invoke("network", claims, "-o", sif, "--format", "sif", "--types", "CHEMICAL",
                    "--types", "CYTOKINE", "--exclude-negated")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in sif.read_text().splitlines()]
    assert rows and all(len(row) == 3 for row in rows)
    assert {row[1] for row in rows} <= {"increases", "decreases", "affects", "required_for"}
    everything = tmp_path / "net.csv"
    assert invoke("network", claims, "-o", everything, "--format", "csv").exit_code == 0
    strict = tmp_path / "strict.csv"
    assert invoke("network", claims, "-o", strict, "--format", "csv", "--min-score", "0.9",
                  ).exit_code == 0  # fmt: skip
    assert len(strict.read_text().splitlines()) < len(everything.read_text().splitlines())
    bad = invoke("network", claims, "-o", tmp_path / "x", "--min-score", "2")
    assert bad.exit_code == 2


def test_cli_report_names_a_bad_evaluation_file(tmp_path: Path, corpus_dir: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    assert invoke("extract", corpus_dir / "il2-tcgf.txt", "-o", claims).exit_code == 0
    broken = tmp_path / "eval.json"
    broken.write_text('{"claims": ', encoding="utf-8")
    result = invoke("report", claims, "--evaluation", broken, "-o", tmp_path / "r.html")
    assert_one_line_error(result, "eval.json:1", "not JSON")
    assert not (tmp_path / "r.html").exists()
    good = invoke("report", claims, "-o", tmp_path / "r.html")
    assert good.exit_code == 0 and "<svg" in (tmp_path / "r.html").read_text()


def test_cli_extract_output_does_not_depend_on_the_hash_seed(
    tmp_path: Path, corpus_dir: Path
) -> None:
    """Set iteration order changes with PYTHONHASHSEED; the output must not (it once chose
    between two groundings of 'ATRA' by set order)."""
    import os

    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.jsonl"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "claimminer", "extract", str(corpus_dir), "-o",
                        str(out)], check=True, env=env, capture_output=True)  # fmt: skip
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
