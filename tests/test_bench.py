"""JNLPBA scoring: label mapping, DNA/RNA set-aside, strict and overlap counts, misses."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from claimminer.bench import cell_before_process_noun, score_jnlpba
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


def test_bench_cell_before_a_process_noun_is_set_aside_unless_the_corpus_has_it() -> None:
    """claimminer's 'T cell activation' convention: unscored where JNLPBA is silent."""
    text = "T cell activation needs B-cell help; T cell proliferation and T cell surface"
    convention = cell_before_process_noun(frozenset({"activation", "help", "proliferation"}))
    mentions = [("T cell", 0), ("B-cell", 24), ("T cell", 37), ("T cell", 62)]
    pred = Document("d", text, tuple(
        Mention(f"E{n}", start, start + len(name), name, "CELL_TYPE")
        for n, (name, start) in enumerate(mentions)
    ))  # fmt: skip
    annotated = Document("d", text, (Mention("T1", 37, 43, "T cell", "cell_type"),))
    plain = score_jnlpba([annotated], [pred])
    assert plain.strict["cell_type"] == Counts(1, 3, 0)
    result = score_jnlpba([annotated], [pred], convention)
    assert result.convention_set_aside == 2  # 'T cell activation', 'B-cell help'
    assert result.strict["cell_type"] == Counts(1, 1, 0)  # 'T cell surface' still counts
    assert result.as_dict()["predictions_set_aside_by_convention"] == 2


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


def write_ge11(folder: Path) -> Path:
    text = "IL-4 induces IL-10 expression. IL-2 did not inhibit TNF."
    (folder / "PMID-1.txt").write_text(text, encoding="utf-8")
    (folder / "PMID-1.a1").write_text(
        "T1\tProtein 0 4\tIL-4\nT2\tProtein 13 18\tIL-10\nT3\tProtein 31 35\tIL-2\n"
        "T4\tProtein 52 55\tTNF\n",
        encoding="utf-8",
    )
    (folder / "PMID-1.a2").write_text(
        "T5\tPositive_regulation 5 12\tinduces\nT6\tGene_expression 19 29\texpression\n"
        "T7\tNegative_regulation 44 51\tinhibit\n"
        "E1\tGene_expression:T6 Theme:T2\nE2\tPositive_regulation:T5 Theme:E1 Cause:T1\n"
        "E3\tNegative_regulation:T7 Theme:T4 Cause:T3\nM1\tNegation E3\n",
        encoding="utf-8",
    )
    return folder / "PMID-1.txt"


def test_bench_ge11_events_flatten_to_their_theme_proteins(tmp_path: Path) -> None:
    from claimminer.bench import ge11_triples
    from claimminer.brat import read_standoff_events

    document = read_standoff_events(write_ge11(tmp_path))
    triples = ge11_triples(document, lambda text: text.startswith("IL"))
    described = [
        (document.text[slice(*t.cause)], t.predicate, document.text[slice(*t.theme)], t.negated)
        for t in triples
    ]
    assert described == [
        ("IL-4", "increases", "IL-10", False),
        ("IL-2", "decreases", "TNF", True),
    ]
    assert all(t.cytokine for t in triples)


def test_bench_ge11_triples_on_the_same_spans_come_in_a_fixed_order(tmp_path: Path) -> None:
    """Set order follows the hash seed; the greedy matcher must not."""
    from claimminer.bench import ge11_triples
    from claimminer.brat import read_standoff_events

    path = write_ge11(tmp_path)
    with (tmp_path / "PMID-1.a2").open("a", encoding="utf-8") as handle:
        handle.write("E4\tNegative_regulation:T7 Theme:T4 Cause:T3\nM2\tSpeculation E4\n")
    triples = ge11_triples(read_standoff_events(path), lambda text: False)
    same_spans = [(t.negated, t.speculated) for t in triples if t.predicate == "decreases"]
    assert same_spans == [(False, True), (True, False)]


def test_bench_ge11_undefined_argument_names_file_and_line(tmp_path: Path) -> None:
    from claimminer.brat import read_standoff_events
    from claimminer.errors import DataFileError

    path = write_ge11(tmp_path)
    (tmp_path / "PMID-1.a2").write_text("E1\tPositive_regulation:T9 Theme:T2\n", encoding="utf-8")
    try:
        read_standoff_events(path)
    except DataFileError as error:
        assert error.line == 1 and "T9" in str(error)
    else:
        raise AssertionError("undefined trigger accepted")


def test_bench_ge11_cli_scores_claims(tmp_path: Path) -> None:
    write_ge11(tmp_path)
    out = tmp_path / "ge11.json"
    result = CliRunner().invoke(app, ["bench", "ge11", str(tmp_path), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["strict"]["tp"] + data["strict"]["fn"] == 2
    assert data["strict"]["tp"] >= 1  # "IL-4 induces IL-10" is found with its direction
    assert "triples (strict)" in result.stdout


def test_bench_ge11_claim_on_no_given_protein_is_set_aside() -> None:
    from claimminer.bench import claim_triples
    from claimminer.model import Claim

    document = Document(
        "d",
        "IL-4 induces NF-kappaB.",
        (Mention("E1", 0, 4, "IL-4", "CYTOKINE"), Mention("E2", 13, 22, "NF-kappaB", "PROTEIN")),
        (Claim("C1", "E1", "increases", "E2"),),
    )
    triples, aside = claim_triples(document, proteins=[(0, 4)])
    assert (triples, aside) == ([], 1)
    triples, aside = claim_triples(document, proteins=[(0, 4), (13, 22)])
    assert len(triples) == 1 and aside == 0


def test_bench_ge11_cli_writes_a_loadable_calibration(tmp_path: Path) -> None:
    from claimminer.rules import default_rules, default_syntax_rules, load_calibration

    write_ge11(tmp_path)
    out = tmp_path / "calibration.yaml"
    result = CliRunner().invoke(app, ["bench", "ge11", str(tmp_path), "--calibration", str(out)])
    assert result.exit_code == 0, result.output
    table = load_calibration(out, default_rules(), default_syntax_rules())
    assert table and all(p.predicted >= p.true_positives for p in table.values())


def test_bench_ge11_reports_given_proteins_found(tmp_path: Path) -> None:
    write_ge11(tmp_path)
    out = tmp_path / "ge11.json"
    assert (
        CliRunner().invoke(app, ["bench", "ge11", str(tmp_path), "--json", str(out)]).exit_code == 0
    )
    found = json.loads(out.read_text())["given_proteins_found"]
    assert found["found"] + found["missed"] == 4
    assert found["found"] >= 3  # IL-4, IL-10, IL-2 are lexicon cytokines


def test_bench_ge11_equivalent_mentions_match_either_name(tmp_path: Path) -> None:
    from claimminer.bench import claim_triples, ge11_triples, score_ge11
    from claimminer.brat import read_standoff_events
    from claimminer.model import Claim

    path = write_ge11(tmp_path)
    text = path.read_text(encoding="utf-8")
    a2 = (tmp_path / "PMID-1.a2").read_text(encoding="utf-8")
    (tmp_path / "PMID-1.a2").write_text("*\tEquiv T1 T3\n" + a2, encoding="utf-8")
    gold = read_standoff_events(path)
    assert gold.equivalences == (frozenset({"T1", "T3"}),)
    # A claim naming IL-2 (declared the same entity as IL-4 here) as the cause of IL-10.
    predicted = Document(
        "PMID-1", text,
        (Mention("E1", 31, 35, "IL-2", "CYTOKINE"), Mention("E2", 13, 18, "IL-10", "CYTOKINE")),
        (Claim("C1", "E1", "increases", "E2"),),
    )  # fmt: skip
    assert len(claim_triples(predicted)[0]) == 1 and ge11_triples(gold, lambda t: False)
    assert score_ge11([gold], [predicted], lambda t: False).strict.tp == 1


def test_bench_ge11_required_for_is_scored_as_positive_regulation(tmp_path: Path) -> None:
    from claimminer.bench import claim_triples
    from claimminer.model import Claim

    document = Document(
        "d", "STAT6 is required for IL-4 expression.",
        (Mention("E1", 0, 5, "STAT6", "PROTEIN"), Mention("E2", 22, 26, "IL-4", "CYTOKINE")),
        (Claim("C1", "E1", "required_for", "E2"),),
    )  # fmt: skip
    triples, _ = claim_triples(document)
    assert [t.predicate for t in triples] == ["increases"]


def test_bench_ge11_recall_on_triples_whose_arguments_were_found(tmp_path: Path) -> None:
    """Two gold triples; TNF is never found, so only IL-4 -> IL-10 is reachable, and matched."""
    from claimminer.bench import score_ge11
    from claimminer.brat import read_standoff_events
    from claimminer.model import Claim

    path = write_ge11(tmp_path)
    gold = read_standoff_events(path)
    predicted = Document(
        "PMID-1", path.read_text(encoding="utf-8"),
        (Mention("E1", 0, 4, "IL-4", "CYTOKINE"), Mention("E2", 13, 18, "IL-10", "CYTOKINE"),
         Mention("E3", 31, 35, "IL-2", "CYTOKINE")),
        (Claim("C1", "E1", "increases", "E2"),),
    )  # fmt: skip
    result = score_ge11([gold], [predicted], lambda t: False)
    assert (result.strict.tp, result.strict.fn) == (1, 1)
    assert (result.reachable.tp, result.reachable.fn) == (1, 0)
    assert result.as_dict()["triples_with_both_arguments_found"] == {
        "triples": 1, "strict_recall": 1.0,
    }  # fmt: skip


def test_bench_ge11_precision_by_argument_source(tmp_path: Path) -> None:
    """A claim on a mention only the recogniser found is counted apart."""
    from claimminer.bench import score_ge11
    from claimminer.brat import read_standoff_events
    from claimminer.model import Claim

    path = write_ge11(tmp_path)
    gold = read_standoff_events(path)
    text = path.read_text(encoding="utf-8")
    predicted = Document(
        "PMID-1", text,
        (Mention("E1", 31, 35, "IL-2", "CYTOKINE", source="model"),
         Mention("E2", 13, 18, "IL-10", "CYTOKINE", source="both")),
        (Claim("C1", "E1", "increases", "E2"), Claim("C2", "E2", "decreases", "E1")),
    )  # fmt: skip
    result = score_ge11([gold], [predicted], lambda t: False)
    assert set(result.by_argument_source) == {"model"}
    counts = result.by_argument_source["model"]
    assert counts.tp + counts.fp == 2
    assert result.as_dict()["precision_by_argument_source"]["model"]["fp"] == counts.fp
