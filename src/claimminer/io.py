"""Readers and writers: plain text inputs and the JSONL output contract (brat: `brat.py`).

Every reader validates as it goes and raises `InputError` or `DataFileError` naming the file
and line, so the command line can report a bad input in one line and go on with the rest.
"""

from __future__ import annotations

import codecs
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from claimminer.errors import ClaimMinerError, DataFileError, InputError
from claimminer.model import Claim, Context, Document, Label, Mention, Predicate

INPUT_SUFFIXES = (".txt", ".xml", ".json", ".pubtator", ".bioc", ".gz")
ENTITY_LABELS = frozenset(label.value for label in Label)
PREDICATES = frozenset(predicate.value for predicate in Predicate)
MENTION_SOURCES = frozenset({"lexicon", "model", "both"})


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
    if (trigger := claim.trigger_text(text)) is not None:
        record["trigger"] = {
            "start": claim.trigger_start,
            "end": claim.trigger_end,
            "text": trigger,
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
