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
    assert set(entity) == {"id", "start", "end", "text", "label", "concept_id", "concept_name",
                           "source"}  # fmt: skip
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
    assert "internal error" not in result.stderr


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


@pytest.mark.parametrize(
    ("ann", "line", "problem"),
    [
        ("T1\tCYTOKINE 0 4\tIL-2\nT2\tCYTOKINE 0 99\tIL-2\n", 2, "outside the text"),
        ("T1\tCYTOKINE 0 4\tIL-3\n", 1, "is 'IL-2', not 'IL-3'"),
        ("T1\tCYTOKYNE 0 4\tIL-2\n", 1, "unknown label 'CYTOKYNE'"),
        (("T1\tCYTOKINE 0 4\tIL-2\nT2\tincreases 5 9\tacts\n"
          "E1\tincreases:T2 Subject:T1 Object:T7\n"), 3, "'T7' is not an entity"),
        ("T1\tCYTOKINE 0 4\tIL-2\nthis is not brat\n", 2, "unknown annotation id"),
    ],
)  # fmt: skip
def test_cli_evaluate_reports_bad_gold_line(
    tmp_path: Path, ann: str, line: int, problem: str
) -> None:
    (tmp_path / "d.txt").write_text("IL-2 acts.", encoding="utf-8")
    (tmp_path / "d.ann").write_text(ann, encoding="utf-8")
    result = invoke("evaluate", "--gold", tmp_path, "--pred", tmp_path)
    assert_one_line_error(result, f"{tmp_path / 'd.ann'}:{line}:", problem)


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


def test_cli_entry_point_keeps_exit_codes_and_flushes_its_output(
    tmp_path: Path, corpus_dir: Path
) -> None:
    """The entry point ends the process without the interpreter's teardown: output and exit
    codes must survive that."""
    command = [sys.executable, "-m", "claimminer", "extract"]
    options = ["--syntax", "none", "--recogniser", "none"]
    missing = subprocess.run([*command, str(tmp_path / "none.txt"), "-o", str(tmp_path / "a.jsonl"),
                              *options], capture_output=True, text=True, check=False)  # fmt: skip
    assert missing.returncode == 1
    assert "none.txt: no such file or directory" in missing.stderr
    usage = subprocess.run([*command, "--no-such-option"], capture_output=True, text=True,
                           check=False)  # fmt: skip
    assert usage.returncode == 2 and "No such option" in usage.stderr
    out = tmp_path / "b.jsonl"
    done = subprocess.run([*command, str(corpus_dir / "bemiss2002.txt"), "-o", str(out), *options],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "wrote 1 documents" in done.stderr
    assert out.read_text(encoding="utf-8").count("\n") == 1


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


def test_cli_a_folder_of_every_bad_kind_keeps_the_good_and_names_the_bad(tmp_path: Path) -> None:
    """The reliability issue's folder: good files of every format, bad files of every kind."""
    import gzip

    folder = tmp_path / "mixed"
    (folder / "sub" / "nothing").mkdir(parents=True)
    (folder / "good.txt").write_text("IL-12 induces IFN-gamma.", encoding="utf-8")
    (folder / "utf16.txt").write_bytes("IL-2 drives T cells.".encode("utf-16"))
    (folder / "sub" / "bioc.json").write_text(
        '{"documents": [{"id": "b1", "passages": [{"text": "IL-4 activates STAT6."}]}]}',
        encoding="utf-8",
    )
    article = (
        "<PubmedArticle><MedlineCitation><PMID>7</PMID><Article><ArticleTitle>IL-10 "
        "inhibits TNF.</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
    )
    pubmed = f"<?xml version='1.0'?><PubmedArticleSet>{article}</PubmedArticleSet>"
    (folder / "pubmed.xml.gz").write_bytes(gzip.compress(pubmed.encode("utf-8")))
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("IL-2 \xe9t\xe9".encode("latin-1"))
    (folder / "binary.txt").write_bytes(bytes(range(256)))
    whole = gzip.compress((pubmed * 200).encode("utf-8"))
    (folder / "truncated.xml.gz").write_bytes(whole[: len(whole) // 2])
    (folder / "malformed.xml").write_text(pubmed.replace("</PMID>", "</PMD>"), encoding="utf-8")
    (folder / "hostile.xml").write_text(
        "<?xml version='1.0'?><!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM "
        '"file:///etc/passwd">]><PubmedArticleSet>&x;</PubmedArticleSet>',
        encoding="utf-8",
    )
    (folder / "evaluation.json").write_text('{"claims": 1}', encoding="utf-8")
    out = tmp_path / "claims.jsonl"
    result = invoke("extract", folder, tmp_path / "missing.txt", "-o", out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    ids = sorted(json.loads(line)["id"] for line in out.read_text().splitlines())
    assert ids == ["7", "b1", "good", "utf16"]
    named = {
        "empty.txt": "empty file", "blank.txt": "empty file", "latin1.txt": "not UTF-8",
        "binary.txt": "binary", "truncated.xml.gz": "truncated", "malformed.xml": "malformed XML",
        "hostile.xml": "unsafe XML", "evaluation.json": "not BioC", "missing.txt": "no such file",
    }  # fmt: skip
    for name, reason in named.items():
        line = next((x for x in result.stderr.splitlines() if f"/{name}: " in x), "")
        assert reason in line, (name, result.stderr)
    assert "skipped 9 inputs" in result.stderr


def test_cli_an_internal_error_is_one_line_unless_debug(tmp_path: Path, monkeypatch) -> None:
    import claimminer.cli.commands as commands
    from claimminer.cli.app import DEBUG

    def broken(*_: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(commands, "iter_run_documents", broken)
    claims = tmp_path / "c.jsonl"
    claims.write_text("", encoding="utf-8")
    quiet = invoke("network", claims, "-o", tmp_path / "n.graphml")
    assert_one_line_error(quiet, "internal error: ZeroDivisionError: a bug", "--debug")
    loud = invoke("--debug", "network", claims, "-o", tmp_path / "n.graphml")
    assert isinstance(loud.exception, ZeroDivisionError)
    DEBUG["on"] = False


def test_cli_check_data_passes_on_the_shipped_data() -> None:
    result = invoke("check-data")
    assert result.exit_code == 0, result.output
    assert "0 example failures" in result.stderr


def test_cli_check_data_names_a_failing_example_and_exits_1(monkeypatch) -> None:
    import dataclasses

    import claimminer.rules as rules_module

    shipped = rules_module.default_rules()
    first = shipped.rules[0]
    firing = first.examples[0].text  # a rule always fires on its own example
    broken = dataclasses.replace(first, counterexamples=(*first.counterexamples, firing))
    patched = dataclasses.replace(shipped, rules=(broken, *shipped.rules[1:]))
    monkeypatch.setattr(rules_module, "default_rules", lambda: patched)
    result = invoke("check-data")
    assert result.exit_code == 1
    assert f"{first.name} fires on {firing!r}" in result.stderr
    assert "1 example failures" in result.stderr
    assert "internal error" not in result.stderr
