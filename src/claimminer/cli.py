"""The `claimminer` command line: thin wrappers over functions that return data.

This is the only module that prints. Errors the user can fix arrive as `ClaimMinerError` and
leave as one line on stderr with exit status 1; inputs that cannot be read are listed as
skipped with their reason, and the status is 1 when any input was skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from claimminer import __version__
from claimminer.bench import (
    JNLPBA_ALL_LABELS,
    EntityBenchmark,
    EventBenchmark,
    score_ge11,
    score_jnlpba,
)
from claimminer.errors import ClaimMinerError
from claimminer.evaluate import Counts, Evaluation, error_report, evaluate, total
from claimminer.formats import read_documents
from claimminer.io import (
    Skipped,
    annotation_conf,
    atomic_writer,
    find_inputs,
    read_brat_dir,
    read_jsonl,
    read_predictions,
    read_standoff_entities,
    read_standoff_events,
    write_brat_dir,
    write_jsonl,
)
from claimminer.mine import iter_run_documents
from claimminer.model import Document, Label
from claimminer.network import (
    NetworkFormat,
    build_network,
    edges_in_documents,
    filter_network,
    write_graphml,
    write_network,
)
from claimminer.report import write_report

app = typer.Typer(
    name="claimminer",
    help="Grounded claims about cytokines and immune cells from biomedical text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

P = ParamSpec("P")
R = TypeVar("R")

TABLE_HEADER = f"{'':<28} {'precision':>9} {'recall':>7} {'f1':>7} {'tp':>5} {'fp':>5} {'fn':>5}"
JsonOption = Annotated[Path | None, typer.Option("--json", help="Write scores as JSON.")]
LimitOption = Annotated[
    int | None, typer.Option("--limit", min=1, help="Score only the first N documents.")
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="Name or path of an installed spaCy pipeline to build on."),
]


DEBUG = {"on": False}


def _fail(message: str) -> typer.Exit:
    typer.echo(f"claimminer: error: {message}", err=True)
    return typer.Exit(code=1)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn ClaimMinerError into a one-line message and exit status 1."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ClaimMinerError as error:
            raise _fail(str(error)) from None
        except OSError as error:  # a disk that fills up or a folder that vanishes mid-run
            raise _fail(f"{error.filename or 'output'}: {error.strerror or error}") from None
        except KeyboardInterrupt:
            raise _fail("interrupted") from None
        except typer.Exit:
            raise  # the command chose its exit status and said why
        except Exception as error:  # a bug: one line for the user, the traceback with --debug
            if DEBUG["on"]:
                raise
            raise _fail(
                f"internal error: {type(error).__name__}: {error} (rerun with --debug for the "
                "traceback, and please report it)"
            ) from None

    return wrapper


def _check_writable(path: Path) -> None:
    """Fail before any work when an output cannot be written."""
    directory = path.parent if path.parent != Path() else Path(".")
    if path.is_dir():
        raise ClaimMinerError(f"{path}: is a directory, expected a file path")
    probe = directory
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not _can_write(probe):
        raise ClaimMinerError(f"{path}: cannot write here")


def _can_write(directory: Path) -> bool:
    import os

    return os.access(directory, os.W_OK)


def _read_documents(paths: Sequence[Path], skipped: list[Skipped]) -> Iterator[Document]:
    files, not_found = find_inputs(paths)
    skipped.extend(not_found)
    for path in files:
        try:
            yield from read_documents(path)
        except ClaimMinerError as error:
            skipped.append(Skipped(path, str(error).removeprefix(f"{path}: ")))


def _report_skipped(skipped: Sequence[Skipped]) -> None:
    for item in skipped:
        typer.echo(f"claimminer: skipped {item.path}: {item.reason}", err=True)


def extract_documents(
    inputs: Sequence[Path], output: Path, model: str | None
) -> tuple[int, list[Skipped]]:
    """Run the pipeline over inputs and write JSONL; returns (documents written, skipped)."""
    from claimminer.pipeline import build_pipeline, process

    skipped: list[Skipped] = []
    nlp = build_pipeline(model)
    documents = process(nlp, _read_documents(inputs, skipped))
    written = write_jsonl(documents, output)
    return written, skipped


@app.command()
@reports_errors
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Text files or directories of .txt files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL file to write.")],
    model: ModelOption = None,
) -> None:
    """Find entities and claims in text files and write one JSON object per document."""
    _check_writable(output)
    written, skipped = extract_documents(inputs, output, model)
    _report_skipped(skipped)
    typer.echo(f"claimminer: wrote {written} documents to {output}"
               + (f"; skipped {len(skipped)} inputs" if skipped else ""), err=True)  # fmt: skip
    if skipped or not written:
        raise typer.Exit(code=1)


def _format_row(name: str, counts: Counts) -> str:
    return (
        f"{name:<28} {counts.precision:>9.3f} {counts.recall:>7.3f} {counts.f1:>7.3f} "
        f"{counts.tp:>5} {counts.fp:>5} {counts.fn:>5}"
    )


def format_evaluation(evaluation: Evaluation) -> str:
    """The evaluation as a plain-text table."""
    lines = [
        TABLE_HEADER,
        _format_row("entities (strict)", total(evaluation.entities_strict.values())),
    ]
    for label in sorted(evaluation.entities_strict):
        lines.append(_format_row(f"  {label}", evaluation.entities_strict[label]))
    lines.append(_format_row("entities (overlap)", total(evaluation.entities_overlap.values())))
    lines.append(_format_row("claims (strict)", evaluation.claims.strict))
    for predicate in sorted(evaluation.claims.by_predicate):
        lines.append(_format_row(f"  {predicate}", evaluation.claims.by_predicate[predicate]))
    lines.append(_format_row("claims (relaxed)", evaluation.claims.relaxed))
    if evaluation.documents_missing:
        lines.append(f"gold documents missing from the prediction: "
                     f"{', '.join(evaluation.documents_missing)}")  # fmt: skip
    return "\n".join(lines)


def _write_json(data: Any, path: Path) -> None:
    with atomic_writer(path) as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


def _write_evaluation(evaluation: Evaluation, json_path: Path | None, errors: Path | None) -> None:
    typer.echo(format_evaluation(evaluation))
    if json_path is not None:
        _write_json(evaluation.as_dict(), json_path)
    if errors is not None:
        with atomic_writer(errors) as handle:
            for row in error_report(evaluation):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


@app.command("evaluate")
@reports_errors
def evaluate_command(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of brat gold annotations.")],
    pred: Annotated[Path, typer.Option("--pred", help="JSONL from extract, or a brat folder.")],
    json_path: JsonOption = None,
    errors: Annotated[
        Path | None, typer.Option("--errors", help="Write false positives and negatives (JSONL).")
    ] = None,
) -> None:
    """Score predictions against gold annotations: entities and claims, P/R/F1."""
    for path in (json_path, errors):
        if path is not None:
            _check_writable(path)
    evaluation = evaluate(read_brat_dir(gold), read_predictions(pred))
    _write_evaluation(evaluation, json_path, errors)


class ExportFormat(StrEnum):
    """Formats `export` writes."""

    BRAT = "brat"


@app.command()
@reports_errors
def export(
    claims: Annotated[Path, typer.Argument(help="JSONL file written by extract.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write.")],
    output_format: Annotated[
        ExportFormat, typer.Option("--format", help="Output format.")
    ] = ExportFormat.BRAT,
) -> None:
    """Write predictions as brat standoff for curators to correct in brat.

    One NAME.txt and NAME.ann per document and an annotation.conf; `evaluate` reads the folder
    back as gold or as predictions.
    """
    documents = read_jsonl(claims)
    _check_writable(output / "annotation.conf")
    written = write_brat_dir(documents, output)
    with atomic_writer(output / "annotation.conf") as handle:
        handle.write(annotation_conf(documents))
    typer.echo(f"claimminer: wrote {written} documents as {output_format.value} to {output}",
               err=True)  # fmt: skip


@app.command()
@reports_errors
def network(
    claims: Annotated[Path, typer.Argument(help="JSONL from extract, or a mine run folder.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    output_format: Annotated[
        NetworkFormat, typer.Option("--format", help="graphml (Cytoscape, Gephi), sif, json, csv.")
    ] = NetworkFormat.GRAPHML,
    min_documents: Annotated[
        int, typer.Option("--min-documents", min=1, help="Keep edges seen in this many documents.")
    ] = 1,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Keep edges with this score.")
    ] = 0.0,
    types: Annotated[
        list[Label] | None, typer.Option("--types", help="Keep only nodes of these types.")
    ] = None,
    exclude_negated: Annotated[
        bool, typer.Option("--exclude-negated", help="Leave negated claims out.")
    ] = False,
) -> None:
    """Aggregate claims into an interaction network: one edge per (subject, predicate, object)."""
    _check_writable(output)
    keep = (
        edges_in_documents(iter_run_documents(claims), min_documents, exclude_negated)
        if min_documents > 1
        else None
    )
    graph = build_network(iter_run_documents(claims), exclude_negated=exclude_negated, keep=keep)
    graph = filter_network(graph, min_documents, min_score, [t.value for t in types or []])
    write_network(graph, output, output_format)
    typer.echo(f"claimminer: wrote {graph.number_of_nodes()} nodes and "
               f"{graph.number_of_edges()} edges to {output}", err=True)  # fmt: skip


@app.command()
@reports_errors
def report(
    claims: Annotated[Path, typer.Argument(help="JSONL from extract, or a mine run folder.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    evaluation: Annotated[
        Path | None, typer.Option("--evaluation", help="JSON written by evaluate --json.")
    ] = None,
) -> None:
    """Write one self-contained HTML page of the claims.

    The network drawn, its edges with evidence, every document with its entities and claims,
    and the evaluation tables when given.
    """
    _check_writable(output)
    documents = list(iter_run_documents(claims))
    scores = _read_evaluation(evaluation) if evaluation is not None else None
    write_report(documents, build_network(documents), output, scores)
    typer.echo(f"claimminer: wrote the report of {len(documents)} documents to {output}", err=True)


def _read_evaluation(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ClaimMinerError(f"{path}: cannot read ({error})") from None
    except json.JSONDecodeError as error:
        raise ClaimMinerError(f"{path}:{error.lineno}: not JSON ({error.msg})") from None
    if not isinstance(data, dict) or "claims" not in data:
        raise ClaimMinerError(f"{path}: not an evaluation written by evaluate --json")
    return data


@app.command()
@reports_errors
def run(
    corpus: Annotated[Path, typer.Argument(help="Folder of .txt documents.")],
    gold: Annotated[Path | None, typer.Option("--gold", help="Folder of brat gold.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for all outputs.")] = Path("out"),
    model: ModelOption = None,
) -> None:
    """Extract, evaluate against gold (when given), build the network and the report."""
    claims_path = out / "claims.jsonl"
    if not corpus.is_dir():
        raise ClaimMinerError(f"{corpus}: not a directory")
    _check_writable(claims_path)
    gold_documents = read_brat_dir(gold) if gold is not None else None
    written, skipped = extract_documents([corpus], claims_path, model)
    _report_skipped(skipped)
    predictions = read_jsonl(claims_path)
    scores = None
    if gold_documents is not None:
        evaluation = evaluate(gold_documents, predictions)
        _write_evaluation(evaluation, out / "evaluation.json", None)
        scores = evaluation.as_dict()
    graph = build_network(predictions)
    write_graphml(graph, out / "network.graphml")
    write_report(predictions, graph, out / "report.html", scores)
    typer.echo(
        f"claimminer: {written} documents, {sum(len(d.claims) for d in predictions)} claims, "
        f"network of {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges "
        f"in {out}/", err=True,
    )  # fmt: skip
    if skipped:
        raise typer.Exit(code=1)


class Engine(StrEnum):
    """Where `mine` runs its tasks."""

    LOCAL = "local"
    DASK = "dask"


@app.command()
@reports_errors
def mine(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders (text, PubMed, BioC...).")],
    out: Annotated[Path, typer.Option("--out", help="Run folder: shards/ and manifest.json.")],
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes.")] = 1,
    resume: Annotated[bool, typer.Option("--resume", help="Skip files already done.")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help="local or dask.")] = Engine.LOCAL,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://HOST:PORT).")
    ] = None,
    model: ModelOption = None,
) -> None:
    """Extract from many files into one shard per file, resumably, on a pool or a cluster."""
    import time

    from claimminer import mine as mining

    if (out / mining.MANIFEST).exists() and not resume:
        raise ClaimMinerError(f"{out}: already holds a run; add --resume or choose another folder")
    _check_writable(out / mining.MANIFEST)
    files, unreadable = find_inputs(inputs)
    manifest = mining.Manifest.load(out) if resume else mining.Manifest()
    for item in unreadable:
        manifest.files[str(item.path)] = mining.FileResult(str(item.path), "", 0, "skipped",
                                                           item.reason)  # fmt: skip
    tasks = mining.plan(files, out, manifest)
    started = time.perf_counter()
    counted = {"documents": 0}
    with _executor(engine, workers, scheduler) as executor, _progress(len(tasks)) as advance:

        def on_result(result: mining.FileResult) -> None:
            counted["documents"] += result.documents
            if result.status != "done":
                typer.echo(f"claimminer: {result.status} {result.input}: {result.reason}",
                           err=True)  # fmt: skip
            advance(counted["documents"] / max(time.perf_counter() - started, 1e-9))

        manifest = mining.run(tasks, out, manifest, executor, model, on_result)
    elapsed = time.perf_counter() - started
    results = manifest.files.values()
    bad = [r for r in results if r.status != "done"]
    typer.echo(
        f"claimminer: {sum(r.documents for r in results)} documents from {len(manifest.files)} "
        f"files in {out} ({len(tasks)} run now, {len(files) - len(tasks)} already done; "
        f"{sum(r.status == 'partial' for r in results)} partial, "
        f"{sum(r.status == 'skipped' for r in results)} skipped); "
        f"{counted['documents'] / max(elapsed, 1e-9):.1f} documents/s this run",
        err=True,
    )  # fmt: skip
    if bad:
        raise typer.Exit(code=1)


@contextmanager
def _executor(engine: Engine, workers: int, scheduler: str | None) -> Iterator[Any]:
    """No executor for one local worker, a process pool for more, or a Dask cluster's."""
    if engine is Engine.DASK:
        try:
            from dask.distributed import Client
        except ImportError:
            raise ClaimMinerError(
                "the dask engine needs Dask: pip install 'claimminer[dask]'"
            ) from None
        if scheduler is None:
            raise ClaimMinerError("--engine dask needs --scheduler tcp://HOST:PORT")
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client.get_executor()
        return
    if workers == 1:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield pool


@contextmanager
def _progress(total: int) -> Iterator[Callable[[float], None]]:
    """A progress bar with documents/s on a terminal; nothing otherwise."""
    import sys

    if not sys.stderr.isatty() or total == 0:
        yield lambda rate: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("files"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TextColumn("{task.fields[rate]:.1f} documents/s"), TimeRemainingColumn(),
    )  # fmt: skip
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("mine", total=total, rate=0.0)
        yield lambda rate: progress.update(task, advance=1, rate=rate)


bench_app = typer.Typer(help="Score claimminer on public benchmark corpora.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


def _extract_texts(documents: Sequence[Any], model: str | None) -> list[Document]:
    """Run the pipeline over the texts of benchmark documents (their annotations unseen)."""
    from claimminer.pipeline import build_pipeline, process

    bare = (Document(id=document.id, text=document.text) for document in documents)
    return list(process(build_pipeline(model), bare))


def format_entity_benchmark(result: EntityBenchmark, top: int) -> str:
    """Per-label strict and overlap scores, then the most frequent misses per label."""
    lines = [f"documents: {result.documents}", TABLE_HEADER]
    for mode, table in (("strict", result.strict), ("overlap", result.overlap)):
        lines.append(_format_row(f"all ({mode})", total(table.values())))
        for label in sorted(table):
            lines.append(_format_row(f"  {label} ({mode})", table[label]))
    lines.append(f"predictions set aside on gold DNA/RNA mentions: {result.set_aside}")
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
) -> None:
    """Entity spans against JNLPBA: strict and overlap P/R/F1 per label, commonest misses."""
    if json_path is not None:
        _check_writable(json_path)
    gold = read_standoff_entities(corpus, JNLPBA_ALL_LABELS)[:limit]
    result = score_jnlpba(gold, _extract_texts(gold, model))
    typer.echo(format_entity_benchmark(result, top))
    if json_path is not None:
        _write_json(result.as_dict(), json_path)


def format_event_benchmark(result: EventBenchmark) -> str:
    """Strict and relaxed triple scores, the cytokine subset, flags and rule precision."""
    found = result.proteins_found
    lines = [
        f"documents: {result.documents}",
        TABLE_HEADER,
        _format_row("triples (strict)", result.strict),
        _format_row("triples (relaxed)", result.relaxed),
        _format_row("cytokine subset (strict)", result.cytokine_strict),
        _format_row("cytokine subset (relaxed)", result.cytokine_relaxed),
        f"negation accuracy on relaxed matches: {result.negation_agreement.precision:.3f}",
        f"speculation accuracy on relaxed matches: {result.speculation_agreement.precision:.3f}",
        f"claims set aside (not protein-to-protein regulation): {result.set_aside}",
        (
            f"given Protein mentions found as CYTOKINE/PROTEIN: {found.recall:.3f}"
            f" ({found.tp}/{found.tp + found.fn})"
        ),
        "precision by rule:",
    ]
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
) -> None:
    """Claims against GE11 regulation events: strict and relaxed P/R/F1, per rule."""
    from claimminer.lexicon import default_lexicon

    if json_path is not None:
        _check_writable(json_path)
    if not corpus.is_dir():
        raise ClaimMinerError(f"{corpus}: not a directory")
    texts = sorted(corpus.glob("*.txt"))[:limit]
    gold = [read_standoff_events(path) for path in texts if path.with_suffix(".a2").exists()]
    if not gold:
        raise ClaimMinerError(f"{corpus}: no .txt files with a .a2 beside them")
    lexicon = default_lexicon()

    def is_cytokine(text: str) -> bool:
        grounding = lexicon.lookup(text)
        return grounding is not None and grounding.label == "CYTOKINE"

    result = score_ge11(gold, _extract_texts(gold, model), is_cytokine)
    typer.echo(format_event_benchmark(result))
    if json_path is not None:
        _write_json(result.as_dict(), json_path)
    if calibration is not None:
        with atomic_writer(calibration) as handle:
            handle.write(calibration_yaml(result, f"claimminer bench ge11 {corpus.name}"))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimminer {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the Python traceback of an internal error.")
    ] = False,
) -> None:
    """Grounded claims about cytokines and immune cells from biomedical text."""
    DEBUG["on"] = debug


@app.command("check-data")
@reports_errors
def check_data() -> None:
    """Validate the shipped lexicons, rules, cues and entity rules; name file:line of a fault.

    Also runs every rule's examples and counterexamples against the default pipeline.
    """
    from claimminer.entities import default_entity_rules
    from claimminer.lexicon import default_lexicon_paths, load_lexicon_files
    from claimminer.pipeline import build_pipeline, process
    from claimminer.rules import default_cues, default_dependency_rules, default_rules

    rows = len(load_lexicon_files(default_lexicon_paths()))  # read afresh, not from the cache
    rules = default_rules()
    default_cues()
    default_dependency_rules()
    default_entity_rules()
    nlp = build_pipeline()
    failures = []
    for rule in rules.rules:
        for example in rule.examples:
            (document,) = process(nlp, [Document("example", example.text)])
            if not any(claim.rule == rule.name for claim in document.claims):
                failures.append(f"{rule.source}: {rule.name} finds nothing in {example.text!r}")
        for text in rule.counterexamples:
            (document,) = process(nlp, [Document("counterexample", text)])
            if any(claim.rule == rule.name for claim in document.claims):
                failures.append(f"{rule.source}: {rule.name} fires on {text!r}")
    for failure in failures:
        typer.echo(f"claimminer: {failure}", err=True)
    typer.echo(f"claimminer: {rows} lexicon rows, {len(rules.rules)} rules, cues and entity "
               f"rules read; {len(failures)} example failures", err=True)  # fmt: skip
    if failures:
        raise typer.Exit(code=1)


def main() -> None:
    """Entry point for `python -m claimminer`."""
    app()
