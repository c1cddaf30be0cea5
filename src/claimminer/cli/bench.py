"""`claimminer bench`: scores on public corpora (JNLPBA, GE11, dependency treebanks)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from claimminer.bench import (
    JNLPBA_ALL_LABELS,
    EntityBenchmark,
    EventBenchmark,
    cell_before_process_noun,
    score_ge11,
    score_jnlpba,
)
from claimminer.brat import read_standoff_entities, read_standoff_events
from claimminer.cli.app import (
    TABLE_HEADER,
    JsonOption,
    LimitOption,
    ModelOption,
    RecogniserOption,
    SyntaxOption,
    app,
    check_writable,
    format_row,
    reports_errors,
    write_json,
)
from claimminer.entity_rules import default_entity_rules
from claimminer.errors import ClaimMinerError
from claimminer.evaluate import total
from claimminer.io import atomic_writer
from claimminer.model import Document
from claimminer.settings import RECOGNISER_SHIPPED, SYNTAX_SHIPPED, PipelineSpec
from claimminer.splits import split_documents
from claimminer.treebank_scores import score_parses

bench_app = typer.Typer(help="Score claimminer on public benchmark corpora.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


class Split(StrEnum):
    """Which part of a corpus a benchmark scores (claimminer/splits.py)."""

    ALL = "all"
    TRAIN = "train"
    TUNE = "tune"
    DEV = "dev"


SplitOption = Annotated[
    Split,
    typer.Option(
        "--split",
        help="all, or the fixed train/tune/dev part the recogniser's training used "
        "(claimminer/splits.py): dev is never trained or tuned on.",
    ),
]


def _extract_texts(documents: Sequence[Any], spec: PipelineSpec) -> list[Document]:
    """Run the pipeline over the texts of benchmark documents (their annotations unseen)."""
    from claimminer.pipeline import build_pipeline, process

    bare = (Document(id=document.id, text=document.text) for document in documents)
    return list(
        process(build_pipeline(spec.model, spec.syntax, spec.recogniser, for_process=True), bare)
    )


def format_entity_benchmark(result: EntityBenchmark, top: int) -> str:
    """Per-label strict and overlap scores, then the most frequent misses per label."""
    lines = [f"documents: {result.documents}", *_score_table(result)]
    lines.append(f"predictions set aside on gold DNA/RNA mentions: {result.set_aside}")
    for source, counts in sorted(result.by_source.items()):
        overlap = result.by_source_overlap[source]
        lines.append(
            f"predicted by {source}: {counts.tp + counts.fp} mentions, strict precision "
            f"{counts.precision:.3f}, overlap precision {overlap.precision:.3f}"
        )
    for label in sorted(result.missed):
        common = ", ".join(f"{text} ({n})" for text, n in result.missed[label].most_common(top))
        lines.append(f"most missed {label}: {common}")
    return "\n".join(lines)


@bench_app.command("jnlpba")
@reports_errors
def bench_jnlpba(
    corpus: Annotated[Path, typer.Argument(help="Folder of JNLPBA .txt + .ann files.")],
    json_path: JsonOption = None,
    limit: LimitOption = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many misses to list.")] = 15,
    model: ModelOption = None,
    syntax: SyntaxOption = SYNTAX_SHIPPED,
    recogniser: RecogniserOption = RECOGNISER_SHIPPED,
    split: SplitOption = Split.ALL,
) -> None:
    """Entity spans against JNLPBA: strict and overlap P/R/F1 per label, commonest misses."""
    if json_path is not None:
        check_writable(json_path)
    gold = split_documents(read_standoff_entities(corpus, JNLPBA_ALL_LABELS), split.value)[:limit]
    predicted = _extract_texts(gold, PipelineSpec(model, syntax, recogniser))
    result = score_jnlpba(gold, predicted)
    convention = cell_before_process_noun(default_entity_rules().cell_process_nouns)
    with_conventions = score_jnlpba(gold, predicted, convention)
    typer.echo(format_entity_benchmark(result, top))
    typer.echo(format_convention_scores(with_conventions))
    if json_path is not None:
        record = result.as_dict()
        record["with_claimminer_conventions"] = {
            "predictions_set_aside": with_conventions.convention_set_aside,
            **with_conventions.scores(),
        }
        write_json(record, json_path)


def format_convention_scores(result: EntityBenchmark) -> str:
    """The per-label scores with claimminer's cell-before-process-noun mentions set aside."""
    heading = (
        f"with claimminer's convention: {result.convention_set_aside} cell mentions before a "
        "process noun set aside (JNLPBA leaves them unannotated)"
    )
    return "\n".join([heading, *_score_table(result)])


def _score_table(result: EntityBenchmark) -> list[str]:
    """The header, then strict and overlap rows: all labels, then each label."""
    lines = [TABLE_HEADER]
    for mode, table in (("strict", result.strict), ("overlap", result.overlap)):
        lines.append(format_row(f"all ({mode})", total(table.values())))
        lines.extend(format_row(f"  {label} ({mode})", table[label]) for label in sorted(table))
    return lines


def format_event_benchmark(result: EventBenchmark) -> str:
    """Strict and relaxed triple scores, the cytokine subset, flags and rule precision."""
    found = result.proteins_found
    lines = [
        f"documents: {result.documents}",
        TABLE_HEADER,
        format_row("triples (strict)", result.strict),
        format_row("triples (relaxed)", result.relaxed),
        format_row("cytokine subset (strict)", result.cytokine_strict),
        format_row("cytokine subset (relaxed)", result.cytokine_relaxed),
        f"negation accuracy on relaxed matches: {result.negation_agreement.precision:.3f}",
        f"speculation accuracy on relaxed matches: {result.speculation_agreement.precision:.3f}",
        f"claims set aside (not protein-to-protein regulation): {result.set_aside}",
        (
            f"given Protein mentions found as CYTOKINE/PROTEIN: {found.recall:.3f}"
            f" ({found.tp}/{found.tp + found.fn}; by "
            + ", ".join(f"{k} {v}" for k, v in sorted(result.proteins_by_source.items()))
            + ")"
        ),
        (
            f"strict recall on the {result.reachable.tp + result.reachable.fn} triples whose "
            f"two arguments were both found: {result.reachable.recall:.3f}"
        ),
    ]
    for source, counts in sorted(result.by_argument_source.items()):
        who = "an argument only the recogniser found" if source == "model" else "no such argument"
        lines.append(
            f"precision of triples with {who}: {counts.precision:.3f} "
            f"({counts.tp}/{counts.tp + counts.fp})"
        )
    lines.append("precision by rule:")
    for rule, counts in sorted(result.by_rule.items()):
        lines.append(f"  {rule:<34} {counts.precision:.3f} ({counts.tp}/{counts.tp + counts.fp})")
    return "\n".join(lines)


def calibration_yaml(result: EventBenchmark, command: str) -> str:
    """Per-rule counts as the calibration file the claims component reads."""
    lines = [
        "# Per-rule precision measured by claimminer's GE11 benchmark; claims take",
        "# confidence (tp + 1) / (predicted + 2) from it. Regenerate with the command below.",
        "benchmark: GE11 training events, regulation triples with a Cause, strict match",
        f"command: {command} --calibration src/claimminer/data/rule_precision.yaml",
        "rules:",
    ]
    for rule, counts in sorted(result.by_rule.items()):
        if rule != "(none)":
            lines.append(f"  {rule}: {{tp: {counts.tp}, predicted: {counts.tp + counts.fp}}}")
    return "\n".join(lines) + "\n"


@bench_app.command("ge11")
@reports_errors
def bench_ge11(
    corpus: Annotated[Path, typer.Argument(help="Folder of GE11 .txt + .a1 + .a2 files.")],
    json_path: JsonOption = None,
    limit: LimitOption = None,
    calibration: Annotated[
        Path | None,
        typer.Option("--calibration", help="Write per-rule precision as a calibration file."),
    ] = None,
    model: ModelOption = None,
    syntax: SyntaxOption = SYNTAX_SHIPPED,
    recogniser: RecogniserOption = RECOGNISER_SHIPPED,
    split: SplitOption = Split.ALL,
) -> None:
    """Claims against GE11 regulation events: strict and relaxed P/R/F1, per rule."""
    from claimminer.lexicon import default_lexicon

    if json_path is not None:
        check_writable(json_path)
    if not corpus.is_dir():
        raise ClaimMinerError(f"{corpus}: not a directory")
    texts = sorted(corpus.glob("*.txt"))
    gold = [read_standoff_events(path) for path in texts if path.with_suffix(".a2").exists()]
    gold = split_documents(gold, split.value)[:limit]
    if not gold:
        raise ClaimMinerError(f"{corpus}: no .txt files with a .a2 beside them")
    lexicon = default_lexicon()

    def is_cytokine(text: str) -> bool:
        grounding = lexicon.lookup(text)
        return grounding is not None and grounding.label == "CYTOKINE"

    result = score_ge11(
        gold, _extract_texts(gold, PipelineSpec(model, syntax, recogniser)), is_cytokine
    )
    typer.echo(format_event_benchmark(result))
    if json_path is not None:
        write_json(result.as_dict(), json_path)
    if calibration is not None:
        with atomic_writer(calibration) as handle:
            handle.write(calibration_yaml(result, f"claimminer bench ge11 {corpus.name}"))


@bench_app.command("treebank")
@reports_errors
def bench_treebank(
    files: Annotated[list[Path], typer.Argument(help="CoNLL-U or CoNLL-X treebank files.")],
    model: Annotated[
        str | None,
        typer.Option("--model", help="Syntax pipeline (path or name); default: the shipped one."),
    ] = None,
    json_path: JsonOption = None,
) -> None:
    """Tagger and parser against treebank trees, on the treebank's own tokens.

    Labels are first reconciled as for training (GENIA's Stanford basic labels and copula
    structures become ClearNLP's; a passive "by" is `agent`). Prints tag accuracy, UAS and
    LAS (punctuation excluded, as spaCy's scorer does) and LAS per label.
    """
    from claimminer.syntax import load_syntax, parse_words
    from claimminer.training.treebank import read_treebank, reconcile

    if json_path is not None:
        check_writable(json_path)
    gold = [reconcile(sentence) for path in files for sentence in read_treebank(path)]
    if not gold:
        raise ClaimMinerError(f"{', '.join(map(str, files))}: no sentences")
    syntax = load_syntax(model)
    parses = list(parse_words(syntax, ((list(s.words), list(s.spaces)) for s in gold)))
    scores = score_parses(gold, parses).as_dict()
    typer.echo(format_treebank_scores(scores))
    if json_path is not None:
        write_json(scores, json_path)


def format_treebank_scores(scores: dict[str, Any]) -> str:
    """Top-line scores, then LAS per label for the labels seen 20 times or more."""
    lines = [
        f"sentences: {scores['sentences']}  tokens: {scores['tokens']}",
        (
            f"tag accuracy {scores['tag_accuracy']:.4f}  UAS {scores['uas']:.4f}  "
            f"LAS {scores['las']:.4f}  (punctuation excluded; with it: UAS "
            f"{scores['uas_with_punct']:.4f}, LAS {scores['las_with_punct']:.4f})"
        ),
        f"{'label':<12} {'gold':>6} {'precision':>9} {'recall':>7} {'f1':>7}",
    ]
    for label, row in scores["per_label"].items():
        if row["gold"] >= 20:
            lines.append(f"{label:<12} {row['gold']:>6} {row['precision']:>9.3f} "
                         f"{row['recall']:>7.3f} {row['f1']:>7.3f}")  # fmt: skip
    return "\n".join(lines)
