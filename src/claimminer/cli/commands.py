"""The main commands: extract, evaluate, export, network, report, run, mine, check-data."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from claimminer.brat import annotation_conf, read_brat_dir, read_predictions, write_brat_dir
from claimminer.cli.app import (
    TABLE_HEADER,
    EncodingOption,
    JsonOption,
    ModelOption,
    RecogniserOption,
    SyntaxOption,
    app,
    check_writable,
    format_row,
    reports_errors,
    write_json,
)
from claimminer.errors import ClaimMinerError
from claimminer.evaluate import Evaluation, error_report, evaluate, total
from claimminer.formats import read_documents
from claimminer.io import (
    Skipped,
    atomic_writer,
    find_inputs,
    known_encoding,
    read_jsonl,
    write_jsonl,
)
from claimminer.mine import iter_run_documents
from claimminer.model import Document, Label
from claimminer.rules import Rule, SyntaxRule
from claimminer.settings import (
    RECOGNISER_NONE,
    RECOGNISER_SHIPPED,
    SYNTAX_NONE,
    SYNTAX_SHIPPED,
    NetworkFormat,
    PipelineSpec,
)


def _read_documents(
    paths: Sequence[Path], skipped: list[Skipped], encoding: str | None = None
) -> Iterator[Document]:
    files, not_found = find_inputs(paths)
    skipped.extend(not_found)
    for path in files:
        try:
            yield from read_documents(path, encoding=encoding)
        except ClaimMinerError as error:
            skipped.append(Skipped(path, str(error).removeprefix(f"{path}: ")))


def _report_skipped(skipped: Sequence[Skipped]) -> None:
    for item in skipped:
        typer.echo(f"claimminer: skipped {item.path}: {item.reason}", err=True)


def extract_documents(
    inputs: Sequence[Path], output: Path, spec: PipelineSpec, encoding: str | None = None
) -> tuple[int, list[Skipped]]:
    """Run the pipeline over inputs and write JSONL; returns (documents written, skipped)."""
    from claimminer.pipeline import build_pipeline, process

    skipped: list[Skipped] = []
    encoding = known_encoding(encoding)
    nlp = build_pipeline(spec.model, spec.syntax, spec.recogniser, for_process=True)
    documents = process(nlp, _read_documents(inputs, skipped, encoding))
    written = write_jsonl(documents, output)
    return written, skipped


@app.command()
@reports_errors
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Text files or directories of .txt files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL file to write.")],
    model: ModelOption = None,
    syntax: SyntaxOption = SYNTAX_SHIPPED,
    recogniser: RecogniserOption = RECOGNISER_SHIPPED,
    encoding: EncodingOption = None,
) -> None:
    """Find entities and claims in text files and write one JSON object per document."""
    check_writable(output)
    spec = PipelineSpec(model, syntax, recogniser)
    written, skipped = extract_documents(inputs, output, spec, encoding)
    _report_skipped(skipped)
    typer.echo(f"claimminer: wrote {written} documents to {output}"
               + (f"; skipped {len(skipped)} inputs" if skipped else ""), err=True)  # fmt: skip
    if skipped or not written:
        raise typer.Exit(code=1)


def format_evaluation(evaluation: Evaluation) -> str:
    """The evaluation as a plain-text table."""
    lines = [
        TABLE_HEADER,
        format_row("entities (strict)", total(evaluation.entities_strict.values())),
    ]
    for label in sorted(evaluation.entities_strict):
        lines.append(format_row(f"  {label}", evaluation.entities_strict[label]))
    lines.append(format_row("entities (overlap)", total(evaluation.entities_overlap.values())))
    lines.append(format_row("claims (strict)", evaluation.claims.strict))
    for predicate in sorted(evaluation.claims.by_predicate):
        lines.append(format_row(f"  {predicate}", evaluation.claims.by_predicate[predicate]))
    lines.append(format_row("claims (relaxed)", evaluation.claims.relaxed))
    if evaluation.documents_missing:
        lines.append(f"gold documents missing from the prediction: "
                     f"{', '.join(evaluation.documents_missing)}")  # fmt: skip
    return "\n".join(lines)


def _write_evaluation(evaluation: Evaluation, json_path: Path | None, errors: Path | None) -> None:
    typer.echo(format_evaluation(evaluation))
    if json_path is not None:
        write_json(evaluation.as_dict(), json_path)
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
            check_writable(path)
    evaluation = evaluate(read_brat_dir(gold), read_predictions(pred))
    _write_evaluation(evaluation, json_path, errors)


class ExportFormat(StrEnum):
    """Formats `export` writes."""

    BRAT = "brat"
    INDRA = "indra"
    BIOC = "bioc"


@app.command()
@reports_errors
def export(
    claims: Annotated[
        Path, typer.Argument(help="JSONL file written by extract, or a mine run folder.")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Folder (brat) or file (indra: .json; bioc: .xml or .json)."
        ),
    ],
    output_format: Annotated[
        ExportFormat, typer.Option("--format", help="brat, indra (INDRA Statements) or bioc.")
    ] = ExportFormat.BRAT,
) -> None:
    """Write predictions for other tools: brat, INDRA Statements or BioC.

    brat: one NAME.txt and NAME.ann per document and an annotation.conf, for curators to
    correct in brat (`evaluate` reads the folder back). indra: a JSON list of INDRA
    Statements, one per claim. bioc: a BioC collection (XML or JSON by the file's suffix) with
    the entities as annotations and the claims as relations.
    """
    documents = list(iter_run_documents(claims))
    if output_format is ExportFormat.BRAT:
        check_writable(output / "annotation.conf")
        written = write_brat_dir(documents, output)
        with atomic_writer(output / "annotation.conf") as handle:
            handle.write(annotation_conf(documents))
    else:
        check_writable(output)
        text = _export_text(documents, output, output_format)
        with atomic_writer(output) as handle:
            handle.write(text)
        written = len(documents)
    typer.echo(f"claimminer: wrote {written} documents as {output_format.value} to {output}",
               err=True)  # fmt: skip


def _export_text(documents: Sequence[Document], output: Path, output_format: ExportFormat) -> str:
    """The INDRA or BioC file's text."""
    if output_format is ExportFormat.INDRA:
        from claimminer.exports.indra import statements, taxa_of
        from claimminer.lexicon import cross_references
        from claimminer.rules import default_cues

        taxa = taxa_of(default_cues().organisms)
        found = statements(documents, cross_references("uniprot"), taxa)
        return json.dumps(found, ensure_ascii=False, indent=1) + "\n"
    from claimminer.exports.bioc import bioc_json, bioc_xml

    if output.suffix.lower() == ".json":
        return bioc_json(documents)
    if output.suffix.lower() == ".xml":
        return bioc_xml(documents)
    raise ClaimMinerError(f"{output}: a BioC file ends in .xml or .json")


@app.command()
@reports_errors
def network(
    claims: Annotated[Path, typer.Argument(help="JSONL from extract, or a mine run folder.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    output_format: Annotated[
        NetworkFormat,
        typer.Option("--format", help="graphml (Cytoscape, Gephi), cx2 (NDEx), sif, json, csv."),
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
    from claimminer.network import build_network, edges_in_documents, filter_network, write_network

    check_writable(output)
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
    from claimminer.network import build_network
    from claimminer.report import write_report

    check_writable(output)
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
    syntax: SyntaxOption = SYNTAX_SHIPPED,
    recogniser: RecogniserOption = RECOGNISER_SHIPPED,
    encoding: EncodingOption = None,
) -> None:
    """Extract, evaluate against gold (when given), build the network and the report."""
    from claimminer.network import build_network, write_graphml
    from claimminer.report import write_report

    claims_path = out / "claims.jsonl"
    if not corpus.is_dir():
        raise ClaimMinerError(f"{corpus}: not a directory")
    check_writable(claims_path)
    gold_documents = read_brat_dir(gold) if gold is not None else None
    written, skipped = extract_documents(
        [corpus], claims_path, PipelineSpec(model, syntax, recogniser), encoding
    )
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
    syntax: SyntaxOption = SYNTAX_SHIPPED,
    recogniser: RecogniserOption = RECOGNISER_SHIPPED,
    encoding: EncodingOption = None,
) -> None:
    """Extract from many files into one shard per file, resumably, on a pool or a cluster.

    One mine at a time holds a run folder: another live run on it is refused.
    """
    from claimminer import mine as mining

    encoding = known_encoding(encoding)
    with mining.run_lock(out):
        bad = _mine_locked(inputs, out, workers, resume, engine, scheduler,
                           PipelineSpec(model, syntax, recogniser), encoding)  # fmt: skip
    if bad:
        raise typer.Exit(code=1)


def _mine_locked(
    inputs: list[Path],
    out: Path,
    workers: int,
    resume: bool,
    engine: Engine,
    scheduler: str | None,
    spec: PipelineSpec,
    encoding: str | None,
) -> bool:
    """The mine run itself, under the run folder's lock; True when a file was not done."""
    import time

    from claimminer import mine as mining

    if mining.holds_a_run(out) and not resume:
        raise ClaimMinerError(f"{out}: already holds a run; add --resume or choose another folder")
    check_writable(out / mining.MANIFEST)
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

        manifest = mining.run(tasks, out, manifest, executor, spec, on_result, workers, encoding)
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
    return bool(bad)


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


@app.command("check-data")
@reports_errors
def check_data() -> None:
    """Validate the shipped lexicons, rules, cues and entity rules; name file:line of a fault.

    Also runs every rule's examples and counterexamples: surface rules on the lexicon and the
    surface reader alone (--syntax none --recogniser none), syntax rules on the default
    pipeline with the shipped models.
    """
    from claimminer.entity_rules import default_entity_rules
    from claimminer.lexicon import default_lexicon_paths, load_lexicon_files
    from claimminer.rules import default_cues, default_rules, default_syntax_rules

    rows = len(load_lexicon_files(default_lexicon_paths()))  # read afresh, not from the cache
    rules, syntax_rules = default_rules(), default_syntax_rules()
    default_cues()
    default_entity_rules()
    failures = rule_example_failures(rules.rules, PipelineSpec(None, SYNTAX_NONE, RECOGNISER_NONE))
    failures += rule_example_failures(syntax_rules, PipelineSpec())
    for failure in failures:
        typer.echo(f"claimminer: {failure}", err=True)
    typer.echo(f"claimminer: {rows} lexicon rows, {len(rules.rules)} surface and "
               f"{len(syntax_rules)} syntax rules, cues and entity rules read; "
               f"{len(failures)} example failures", err=True)  # fmt: skip
    if failures:
        raise typer.Exit(code=1)


def rule_example_failures(rules: Sequence[Rule | SyntaxRule], spec: PipelineSpec) -> list[str]:
    """Rules whose examples give none of their claims, or whose counterexamples give some."""
    from claimminer.pipeline import build_pipeline, process

    nlp = build_pipeline(spec.model, spec.syntax, spec.recogniser, for_process=True)
    failures = []
    for rule in rules:
        for example in rule.examples:
            (document,) = process(nlp, [Document("example", example.text)])
            if not any(claim.rule == rule.name for claim in document.claims):
                failures.append(f"{rule.source}: {rule.name} finds nothing in {example.text!r}")
        for text in rule.counterexamples:
            (document,) = process(nlp, [Document("counterexample", text)])
            if any(claim.rule == rule.name for claim in document.claims):
                failures.append(f"{rule.source}: {rule.name} fires on {text!r}")
    return failures
