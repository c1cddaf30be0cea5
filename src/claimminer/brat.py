"""brat standoff: claimminer's gold annotations and exports, and the corpora's standoff files.

Reads brat folders (`NAME.txt` + `NAME.ann`) as documents with entities and claims (the gold
format and `export --format brat`), writes them back with an `annotation.conf`, and reads the
standoff of the public corpora: GE11 events (`.a1`/`.a2`) and JNLPBA entities (`.ann`).
Malformed lines are errors naming the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimminer.errors import DataFileError, InputError
from claimminer.io import ENTITY_LABELS, PREDICATES, atomic_writer, read_jsonl, read_text
from claimminer.model import Claim, Context, Document, Label, Mention, Predicate

BRAT_FLAGS = ("Negated", "Hedged")
BRAT_CONTEXT_ATTRIBUTES = {
    "Organism": "organism",
    "Genotype": "genotype",
    "Setting": "setting",
    "CellSource": "cell_source",
    "Stimulus": "stimulus",
}


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
