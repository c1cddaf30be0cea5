"""JNLPBA scoring: label mapping, DNA/RNA set-aside, strict and overlap counts, misses."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from claimminer.bench import score_jnlpba
from claimminer.cli import app
from claimminer.evaluate import Counts
from claimminer.model import Document, Mention

TEXT = "IL-2 gene in T cells and Jurkat cells"


def gold() -> Document:
    return Document(
        "d",
        TEXT,
        (
            Mention("T1", 0, 9, "IL-2 gene", "DNA"),
            Mention("T2", 13, 20, "T cells", "cell_type"),
            Mention("T3", 25, 37, "Jurkat cells", "cell_line"),
        ),
    )


def test_bench_protein_on_dna_is_set_aside_not_a_false_positive() -> None:
    pred = Document("d", TEXT, (Mention("E1", 0, 4, "IL-2", "CYTOKINE"),))
    result = score_jnlpba([gold()], [pred])
    assert result.strict["protein"] == Counts(0, 0, 0)
    assert result.set_aside == 1


def test_bench_labels_map_and_overlap_counts() -> None:
    pred = Document(
        "d",
        TEXT,
        (
            Mention("E1", 13, 20, "T cells", "CELL_TYPE"),
            Mention("E2", 25, 31, "Jurkat", "CELL_LINE"),
        ),
    )
    result = score_jnlpba([gold()], [pred])
    assert result.strict["cell_type"] == Counts(1, 0, 0)
    assert result.strict["cell_line"] == Counts(0, 1, 1)
    assert result.overlap["cell_line"] == Counts(1, 0, 0)
    assert result.missed["cell_line"] == {}
    assert result.as_dict()["overlap"]["f1"] == 1.0


def test_bench_missing_prediction_counts_misses() -> None:
    result = score_jnlpba([gold()], [])
    assert result.overlap["cell_type"] == Counts(0, 0, 1)
    assert result.missed["cell_type"]["t cells"] == 1


def test_bench_cli_on_a_small_corpus(tmp_path: Path) -> None:
    (tmp_path / "1.txt").write_text("IL-2 activates human T cells.", encoding="utf-8")
    (tmp_path / "1.ann").write_text(
        "T1\tprotein 0 4\tIL-2\nT2\tcell_type 15 28\thuman T cells\n", encoding="utf-8"
    )
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(app, ["bench", "jnlpba", str(tmp_path), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["by_label"]["protein"]["strict"]["tp"] == 1
    assert data["by_label"]["cell_type"]["strict"]["tp"] == 1
    assert "cell_type (overlap)" in result.stdout


def test_bench_cli_bad_corpus_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bench", "jnlpba", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("claimminer: error:")
