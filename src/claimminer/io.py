"""Readers and writers: plain text inputs, the JSONL output contract, and brat standoff.

Every reader validates as it goes and raises `InputError` or `DataFileError` naming the file
and line, so the command line can report a bad input in one line and go on with the rest.
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from claimminer.errors import ClaimMinerError, DataFileError, InputError
from claimminer.model import Claim, Context, Document, Label, Mention, Predicate

INPUT_SUFFIXES = (".txt", ".xml", ".json", ".pubtator", ".bioc", ".gz")
ENTITY_LABELS = frozenset(label.value for label in Label)
PREDICATES = frozenset(predicate.value for predicate in Predicate)
MENTION_SOURCES = frozenset({"lexicon", "model", "both"})
BRAT_FLAGS = ("Negated", "Hedged")
BRAT_CONTEXT_ATTRIBUTES = {
    "Organism": "organism",
    "Genotype": "genotype",
    "Setting": "setting",
    "CellSource": "cell_source",
    "Stimulus": "stimulus",
}


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that was not processed, and why."""

    path: Path
    reason: str


# ---------------------------------------------------------------------------------------------
# Plain text inputs


def find_inputs(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """Expand files and directories into the text files to read, sorted for stable output.

    Directories are walked recursively; files with other suffixes inside a directory are left
    out silently (a folder of brat files holds `.ann` beside `.txt`), but a path named on the
    command line that does not exist or has no input suffix is reported as skipped. What a
    file holds (text, PubMed or BioC XML, BioC JSON, PubTator; gzipped or not) is told from
    its content when it is read (`formats.py`).
    """
    found: list[Path] = []
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix in INPUT_SUFFIXES
            )
            if not inside:
                skipped.append(Skipped(path, "directory holds no readable files"))
            found.extend(inside)
        elif path.is_file():
            if path.suffix in INPUT_SUFFIXES:
                found.append(path)
            else:
                skipped.append(Skipped(path, f"unsupported file type {path.suffix or '(none)'!r}"))
        else:
            skipped.append(Skipped(path, "no such file or directory"))
    return found, skipped


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (a leading byte-order mark is dropped)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from error
    return decode_text(path, raw)


def decode_text(path: Path, raw: bytes, encoding: str | None = None) -> str:
    """The bytes of a text file as a string, or an InputError that says why not.

    Without `encoding`, UTF-8 (with or without a byte-order mark) and UTF-16 with its
    byte-order mark are read; anything else is refused with the offending byte, never guessed
    at. With it (`--encoding latin-1` for an old dump), the bytes are decoded as told.
    """
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise InputError(path, f"not {encoding} text (byte {error.start})") from error
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(path, f"damaged UTF-16 text (byte {error.start})") from error
    if b"\x00" in raw:
        raise InputError(path, "binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            path,
            f"not UTF-8 text (byte {error.start}; Latin-1 or cp1252? run with --encoding latin-1 "
            "or --encoding cp1252)",
        ) from error


def known_encoding(name: str | None) -> str | None:
    """The encoding's canonical name; a ClaimMinerError for one Python does not know."""
    if name is None:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ClaimMinerError(f"unknown encoding {name!r} (e.g. latin-1, cp1252, utf-8)") from None


# ---------------------------------------------------------------------------------------------
# JSONL: the output contract


def mention_to_json(mention: Mention) -> dict[str, Any]:
    """A mention as the JSON object of the output contract."""
    return {
        "id": mention.id,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "label": mention.label,
        "concept_id": mention.concept_id,
        "concept_name": mention.concept_name,
        "source": mention.source,
    }


def claim_to_json(claim: Claim, text: str) -> dict[str, Any]:
    """A claim as the JSON object of the output contract, with its trigger when known."""
    record: dict[str, Any] = {
        "id": claim.id,
        "subject": claim.subject,
        "predicate": claim.predicate,
        "object": claim.object,
        "negated": claim.negated,
        "hedged": claim.hedged,
        "context": claim.context.as_dict(),
        "sentence": {"start": claim.sentence_start, "end": claim.sentence_end},
        "rule": claim.rule,
        "confidence": claim.confidence,
    }
    if claim.trigger_start is not None and claim.trigger_end is not None:
        record["trigger"] = {
            "start": claim.trigger_start,
            "end": claim.trigger_end,
            "text": text[claim.trigger_start : claim.trigger_end],
        }
    return record


def document_to_json(document: Document) -> dict[str, Any]:
    """A document as one line of the JSONL output."""
    return {
        "id": document.id,
        "text": document.text,
        "entities": [mention_to_json(m) for m in document.entities],
        "claims": [claim_to_json(c, document.text) for c in document.claims],
    }


def _require(record: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = record.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ValueError(f"{where}: field {key!r} is missing or not {_kind_name(kind)}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


def mention_from_json(record: dict[str, Any], text: str) -> Mention:
    """Parse and check one entity object against its document text."""
    mention = Mention(
        id=_require(record, "id", str, "entity"),
        start=_require(record, "start", int, "entity"),
        end=_require(record, "end", int, "entity"),
        text=_require(record, "text", str, "entity"),
        label=_require(record, "label", str, "entity"),
        concept_id=record.get("concept_id") or None,
        concept_name=record.get("concept_name") or None,
        source=record.get("source") or "lexicon",  # files written before the recogniser
    )
    if mention.source not in MENTION_SOURCES:
        raise ValueError(f"entity {mention.id}: unknown source {mention.source!r}")
    if mention.label not in ENTITY_LABELS:
        raise ValueError(f"entity {mention.id}: unknown label {mention.label!r}")
    if text[mention.start : mention.end] != mention.text:
        raise ValueError(
            f"entity {mention.id}: text[{mention.start}:{mention.end}] is "
            f"{text[mention.start : mention.end]!r}, not {mention.text!r}"
        )
    return mention


def claim_from_json(record: dict[str, Any], entity_ids: set[str]) -> Claim:
    """Parse and check one claim object; its arguments must be entities of the same document."""
    claim_id = _require(record, "id", str, "claim")
    predicate = _require(record, "predicate", str, f"claim {claim_id}")
    if predicate not in PREDICATES:
        raise ValueError(f"claim {claim_id}: unknown predicate {predicate!r}")
    arguments = [_require(record, role, str, f"claim {claim_id}") for role in ("subject", "object")]
    for argument in arguments:
        if argument not in entity_ids:
            raise ValueError(f"claim {claim_id}: argument {argument!r} is not an entity id")
    sentence = record.get("sentence") or {}
    trigger = record.get("trigger") or {}
    confidence = record.get("confidence")
    return Claim(
        id=claim_id,
        subject=arguments[0],
        predicate=predicate,
        object=arguments[1],
        negated=bool(record.get("negated", False)),
        hedged=bool(record.get("hedged", False)),
        context=Context.from_mapping(record.get("context") or {}),
        sentence_start=int(sentence.get("start", 0)),
        sentence_end=int(sentence.get("end", 0)),
        trigger_start=trigger.get("start"),
        trigger_end=trigger.get("end"),
        rule=record.get("rule"),
        confidence=float(confidence) if confidence is not None else None,
    )


def document_from_json(record: Any) -> Document:
    """Parse and check one JSONL line's object."""
    if not isinstance(record, dict):
        raise ValueError("line is not a JSON object")
    doc_id = _require(record, "id", str, "document")
    text = _require(record, "text", str, f"document {doc_id}")
    entities = tuple(mention_from_json(e, text) for e in record.get("entities") or [])
    entity_ids = {m.id for m in entities}
    claims = tuple(claim_from_json(c, entity_ids) for c in record.get("claims") or [])
    return Document(id=doc_id, text=text, entities=entities, claims=claims)


def iter_jsonl(path: Path) -> Iterator[Document]:
    """Documents of a JSONL file, one per non-blank line, each checked against the contract."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from error
    seen: set[str] = set()
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    document = document_from_json(json.loads(line))
                except (ValueError, TypeError, AttributeError) as error:
                    raise DataFileError(path, number, str(error)) from error
                if document.id in seen:
                    raise DataFileError(path, number, f"document id {document.id!r} appears twice")
                seen.add(document.id)
                yield document
        except UnicodeDecodeError as error:
            raise InputError(path, "not UTF-8 text") from error


def read_jsonl(path: Path) -> list[Document]:
    """All documents of a JSONL file; duplicate ids are an error."""
    return list(iter_jsonl(path))


@contextmanager
def atomic_writer(path: Path) -> Iterator[IO[str]]:
    """Write to a temporary file beside `path` and rename it into place only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below before the rename
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            yield handle
        # a temporary file is private (0600); the result gets the usual mode under the umask
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def write_jsonl(documents: Iterable[Document], path: Path) -> int:
    """Write documents as JSONL atomically; returns how many were written."""
    count = 0
    with atomic_writer(path) as handle:
        for document in documents:
            handle.write(json.dumps(document_to_json(document), ensure_ascii=False) + "\n")
            count += 1
    return count


# ---------------------------------------------------------------------------------------------
# brat standoff


def _brat_value(value: str) -> str:
    """Brat attribute values cannot hold spaces; underscores stand for them."""
    return value.replace(" ", "_")


def _plain_value(value: str) -> str:
    return value.replace("_", " ")


@dataclass
class _BratParse:
    """Mutable accumulator used while reading one `.ann` file."""

    text_bound: dict[str, tuple[str, int, int, str, int]]
    references: dict[str, tuple[str, str]]
    events: dict[str, tuple[str, str, dict[str, str], int]]
    attributes: dict[str, dict[str, str | bool]]
    equivalences: list[tuple[str, ...]] = field(default_factory=list)


def _parse_offsets(offsets: str) -> tuple[int, int]:
    """`start end`, or discontinuous `s1 e1;s2 e2` collapsed to its outer bounds."""
    pieces = [piece.split() for piece in offsets.split(";")]
    if not all(len(piece) == 2 for piece in pieces):
        raise ValueError(f"bad offsets {offsets!r}")
    starts = [int(piece[0]) for piece in pieces]
    ends = [int(piece[1]) for piece in pieces]
    return min(starts), max(ends)


def _parse_ann_line(parse: _BratParse, line: str, text: str) -> None:
    ann_id, _, rest = line.partition("\t")
    kind = ann_id[:1]
    if kind == "T":
        head, _, span_text = rest.partition("\t")
        label, _, offsets = head.partition(" ")
        start, end = _parse_offsets(offsets)
        if not 0 <= start < end <= len(text):
            raise ValueError(f"offsets {start}-{end} outside the text (length {len(text)})")
        if " " not in offsets and ";" not in offsets:
            raise ValueError(f"bad offsets {offsets!r}")
        if ";" not in offsets and text[start:end] != span_text:
            raise ValueError(f"text at {start}-{end} is {text[start:end]!r}, not {span_text!r}")
        parse.text_bound[ann_id] = (label, start, end, span_text, 0)
    elif kind == "N":
        fields = rest.split("\t")[0].split()
        if len(fields) != 3:
            raise ValueError("normalization line needs 'Reference T<n> DB:ID'")
        _, target, curie = fields
        name = rest.split("\t")[1] if "\t" in rest else ""
        parse.references[target] = (curie, name)
    elif kind == "E":
        parts = rest.split()
        if not parts or ":" not in parts[0]:
            raise ValueError("event line needs 'Type:T<n> Role:ID ...'")
        event_type, trigger = parts[0].split(":", 1)
        roles = {}
        for part in parts[1:]:
            role, sep, target = part.partition(":")
            if not sep:
                raise ValueError(f"bad event argument {part!r}")
            roles[role] = target
        parse.events[ann_id] = (event_type, trigger, roles, 0)
    elif kind in ("A", "M"):
        parts = rest.split()
        if len(parts) not in (2, 3):
            raise ValueError("attribute line needs 'Name ID [value]'")
        name, target = parts[0], parts[1]
        value: str | bool = parts[2] if len(parts) == 3 else True
        parse.attributes.setdefault(target, {})[name] = value
    elif kind == "*":
        parts = rest.split()
        if len(parts) < 3 or parts[0] != "Equiv":
            raise ValueError("equivalence line needs 'Equiv T<n> T<m> ...'")
        parse.equivalences.append(tuple(parts[1:]))
    elif kind in ("R", "#"):
        return  # relations and notes carry nothing claimminer scores
    else:
        raise ValueError(f"unknown annotation id {ann_id!r}")


def read_ann(
    ann_path: Path, text: str, doc_id: str, entity_labels: frozenset[str] = ENTITY_LABELS
) -> tuple[list[Mention], dict[str, Any]]:
    """Parse a brat `.ann` (or BioNLP `.a1`/`.a2`) against its text.

    Returns the mentions whose label is in `entity_labels` (claimminer's by default, a
    corpus's own for benchmarks) and the raw parse for callers that read events.
    """
    parse = _BratParse({}, {}, {}, {})
    _parse_ann_file(parse, ann_path, text)
    mentions = []
    for ann_id, (label, start, end, span_text, _) in parse.text_bound.items():
        if label in entity_labels:
            curie, name = parse.references.get(ann_id, (None, None))
            mentions.append(Mention(ann_id, start, end, span_text, label, curie, name or None))
    mentions.sort(key=lambda m: (m.start, m.end, m.id))
    return mentions, {"parse": parse, "path": ann_path, "doc_id": doc_id}


def _parse_ann_file(parse: _BratParse, ann_path: Path, text: str) -> None:
    """Add every line of one standoff file to `parse`, remembering line numbers."""
    try:
        lines = ann_path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(ann_path, f"cannot read: {error}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            _parse_ann_line(parse, line, text)
        except ValueError as error:
            raise DataFileError(ann_path, number, str(error)) from error
        ann_id = line.split("\t", 1)[0]
        if ann_id in parse.text_bound:
            label, start, end, span_text, _ = parse.text_bound[ann_id]
            parse.text_bound[ann_id] = (label, start, end, span_text, number)
        if ann_id in parse.events:
            event_type, trigger, roles, _ = parse.events[ann_id]
            parse.events[ann_id] = (event_type, trigger, roles, number)


@dataclass(frozen=True, slots=True)
class StandoffEvents:
    """A BioNLP shared-task document: text, text-bound annotations, events and modifiers."""

    id: str
    text: str
    spans: dict[str, tuple[str, int, int]]  # id -> (type, start, end)
    events: dict[str, tuple[str, dict[str, str]]]  # id -> (type, {role: argument id})
    modifiers: dict[str, frozenset[str]]  # event id -> {"Negation", "Speculation"}
    equivalences: tuple[frozenset[str], ...] = ()  # ids that name one entity ("Equiv")


def read_standoff_events(
    txt_path: Path, suffixes: tuple[str, ...] = (".a1", ".a2")
) -> StandoffEvents:
    """Read `NAME.txt` with `NAME.a1` (given entities) and `NAME.a2` (triggers, events).

    Both files share one id space; an event argument that names no annotation is an error
    with the file and line.
    """
    text = read_text(txt_path)
    parse = _BratParse({}, {}, {}, {})
    for suffix in suffixes:
        path = txt_path.with_suffix(suffix)
        if path.exists():
            _parse_ann_file(parse, path, text)
    known = set(parse.text_bound) | set(parse.events)
    for event_id, (_, trigger, roles, line) in parse.events.items():
        for argument in (trigger, *roles.values()):
            if argument not in known:
                raise DataFileError(txt_path.with_suffix(suffixes[-1]), line,
                                    f"{event_id} refers to undefined {argument!r}")  # fmt: skip
    return StandoffEvents(
        id=txt_path.stem,
        text=text,
        spans={k: (label, start, end) for k, (label, start, end, _, _) in parse.text_bound.items()},
        events={k: (kind, roles) for k, (kind, _, roles, _) in parse.events.items()},
        modifiers={k: frozenset(str(name) for name in v) for k, v in parse.attributes.items()},
        equivalences=tuple(frozenset(ids) for ids in parse.equivalences),
    )


def _claims_from_parse(parse: _BratParse, path: Path, entity_ids: set[str]) -> list[Claim]:
    claims = []
    for event_id, (event_type, trigger_id, roles, line) in parse.events.items():
        if event_type not in PREDICATES:
            raise DataFileError(path, line, f"unknown predicate {event_type!r}")
        if set(roles) != {"Subject", "Object"}:
            raise DataFileError(path, line, "a claim event needs exactly Subject and Object")
        for role, target in roles.items():
            if target not in entity_ids:
                raise DataFileError(path, line, f"{role} {target!r} is not an entity")
        if trigger_id not in parse.text_bound:
            raise DataFileError(path, line, f"trigger {trigger_id!r} is not defined")
        _, trigger_start, trigger_end, _, _ = parse.text_bound[trigger_id]
        attributes = parse.attributes.get(event_id, {})
        context = Context.from_mapping(
            {
                context_field: _plain_value(value)
                if isinstance(value := attributes.get(name), str)
                else None
                for name, context_field in BRAT_CONTEXT_ATTRIBUTES.items()
            }
        )
        claims.append(
            Claim(
                id=event_id,
                subject=roles["Subject"],
                predicate=event_type,
                object=roles["Object"],
                negated=bool(attributes.get("Negated", False)),
                hedged=bool(attributes.get("Hedged", False)),
                context=context,
                trigger_start=trigger_start,
                trigger_end=trigger_end,
                rule=str(attributes["Rule"]) if "Rule" in attributes else None,
            )
        )
    claims.sort(key=lambda c: (c.trigger_start or 0, int(c.id[1:]) if c.id[1:].isdigit() else 0))
    return claims


def read_brat_document(txt_path: Path) -> Document:
    """A `.txt` and the `.ann` beside it as one document with its mentions and claims."""
    text = read_text(txt_path)
    ann_path = txt_path.with_suffix(".ann")
    if not ann_path.exists():
        raise InputError(txt_path, "no .ann file beside it")
    mentions, raw = read_ann(ann_path, text, txt_path.stem)
    parse: _BratParse = raw["parse"]
    for label, _, _, _, line in parse.text_bound.values():
        if label not in ENTITY_LABELS and label not in PREDICATES:
            raise DataFileError(ann_path, line, f"unknown label {label!r}")
    claims = _claims_from_parse(parse, ann_path, {m.id for m in mentions})
    return Document(id=txt_path.stem, text=text, entities=tuple(mentions), claims=tuple(claims))


def read_brat_dir(directory: Path) -> list[Document]:
    """Every annotated document of a brat folder (`NAME.txt` with `NAME.ann`), sorted by id."""
    if not directory.is_dir():
        raise InputError(directory, "not a directory")
    texts = sorted(directory.glob("*.txt"))
    documents = [read_brat_document(path) for path in texts if path.with_suffix(".ann").exists()]
    if not documents:
        raise InputError(directory, "no .txt files with a .ann beside them")
    return documents


def document_to_ann(document: Document) -> str:
    """Brat standoff for a document: entities, groundings, claim triggers, events, attributes."""
    lines: list[str] = []
    brat_ids: dict[str, str] = {}
    for number, mention in enumerate(document.entities, start=1):
        brat_ids[mention.id] = f"T{number}"
        lines.append(f"T{number}\t{mention.label} {mention.start} {mention.end}\t{mention.text}")
    next_t = len(document.entities) + 1
    references = [
        f"N{n}\tReference {brat_ids[m.id]} {m.concept_id}\t{m.concept_name or ''}"
        for n, m in enumerate((m for m in document.entities if m.concept_id), start=1)
    ]
    events: list[str] = []
    attributes: list[str] = []
    triggers: dict[tuple[str, int, int], str] = {}
    for number, claim in enumerate(document.claims, start=1):
        start, end = _trigger_span(document, claim)
        trigger_key = (claim.predicate, start, end)
        if trigger_key not in triggers:
            triggers[trigger_key] = f"T{next_t}"
            lines_text = document.text[start:end]
            events.append(f"T{next_t}\t{claim.predicate} {start} {end}\t{lines_text}")
            next_t += 1
        event_id = f"E{number}"
        events.append(
            f"{event_id}\t{claim.predicate}:{triggers[trigger_key]} "
            f"Subject:{brat_ids[claim.subject]} Object:{brat_ids[claim.object]}"
        )
        values: list[tuple[str, str | None]] = [
            (flag, None) for flag in BRAT_FLAGS if getattr(claim, flag.lower())
        ]
        values += [
            (name, _brat_value(value))
            for name, field in BRAT_CONTEXT_ATTRIBUTES.items()
            if (value := getattr(claim.context, field))
        ]
        if claim.rule:
            values.append(("Rule", claim.rule))
        for name, value in values:
            suffix = f" {value}" if value is not None else ""
            attributes.append(f"A{len(attributes) + 1}\t{name} {event_id}{suffix}")
    return "\n".join([*lines, *references, *events, *attributes]) + "\n"


def _trigger_span(document: Document, claim: Claim) -> tuple[int, int]:
    """The claim's trigger, or the whole sentence when a claim carries none."""
    if claim.trigger_start is not None and claim.trigger_end is not None:
        return claim.trigger_start, claim.trigger_end
    return claim.sentence_start, claim.sentence_end


def write_brat_dir(documents: Iterable[Document], directory: Path) -> int:
    """Write each document as `ID.txt` and `ID.ann`; returns how many were written."""
    count = 0
    for document in documents:
        with atomic_writer(directory / f"{document.id}.txt") as handle:
            handle.write(document.text)
        with atomic_writer(directory / f"{document.id}.ann") as handle:
            handle.write(document_to_ann(document))
        count += 1
    return count


def annotation_conf(documents: Sequence[Document]) -> str:
    """A brat `annotation.conf` for an exported folder.

    It declares every label, predicate and attribute value the documents use, so brat opens
    the folder without complaints.
    """
    values: dict[str, set[str]] = {name: set() for name in (*BRAT_CONTEXT_ATTRIBUTES, "Rule")}
    for document in documents:
        for claim in document.claims:
            for name, context_field in BRAT_CONTEXT_ATTRIBUTES.items():
                if value := getattr(claim.context, context_field):
                    values[name].add(_brat_value(value))
            if claim.rule:
                values["Rule"].add(claim.rule)
    lines = ["# Written by claimminer export: the labels and values these documents use.", "",
             "[entities]", "", *(label.value for label in Label), "", "[relations]", "",
             "[events]", ""]  # fmt: skip
    lines += [f"{predicate.value}\tSubject:<ENTITY>, Object:<ENTITY>" for predicate in Predicate]
    lines += ["", "[attributes]", ""]
    lines += [f"{flag}\tArg:<EVENT>" for flag in BRAT_FLAGS]
    for name, found in values.items():
        if found:
            lines.append(f"{name}\tArg:<EVENT>, Value:{'|'.join(sorted(found))}")
    return "\n".join(lines) + "\n"


def read_standoff_entities(
    directory: Path, entity_labels: frozenset[str], suffix: str = ".ann"
) -> list[Document]:
    """Documents of a standoff corpus (`NAME.txt` + `NAME<suffix>`) with the given labels only.

    For benchmark corpora whose label set is not claimminer's (JNLPBA's `protein`,
    `cell_type`, ...); claims are not read.
    """
    if not directory.is_dir():
        raise InputError(directory, "not a directory")
    documents = []
    for txt_path in sorted(directory.glob("*.txt")):
        ann_path = txt_path.with_suffix(suffix)
        if not ann_path.exists():
            continue
        text = read_text(txt_path)
        mentions, _ = read_ann(ann_path, text, txt_path.stem, entity_labels)
        documents.append(Document(id=txt_path.stem, text=text, entities=tuple(mentions)))
    if not documents:
        raise InputError(directory, f"no .txt files with a {suffix} beside them")
    return documents


def read_predictions(path: Path) -> list[Document]:
    """Predictions from a JSONL file or a brat folder, whichever `path` is."""
    if path.is_dir():
        return read_brat_dir(path)
    if path.is_file():
        return read_jsonl(path)
    raise InputError(path, "no such file or directory")
