"""Input formats: plain text, PubMed/MEDLINE XML, BioC XML and JSON, PubTator; any gzipped.

The format is told from the content (gzip magic, the XML root element, a JSON key, the
PubTator `PMID|t|` line), with the file name only as a tie-breaker, so a misnamed file still
reads right. XML is parsed incrementally and each record is cleared once read, so a PubMed
baseline file (30,000 articles) never sits in memory whole. Each reader yields documents as it
goes: a file that breaks halfway keeps the documents before the break, and the break is raised
as an InputError naming the file and line.
"""

from __future__ import annotations

import gzip
import io
import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from claimminer.errors import InputError
from claimminer.io import decode_text
from claimminer.model import Document

SNIFF_BYTES = 4096
# A BioC document infon with the text's length, so line breaks after the last passage come
# back (claimminer's BioC export writes it).
BIOC_LENGTH_INFON = "text_length"


class InputFormat(StrEnum):
    """What a file holds."""

    TEXT = "text"
    PUBMED = "pubmed"
    BIOC_XML = "bioc-xml"
    BIOC_JSON = "bioc-json"
    PUBTATOR = "pubtator"


def _open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it starts with the gzip magic number."""
    try:
        handle: IO[bytes] = path.open("rb")
        magic = handle.read(2)
        handle.seek(0)
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from error
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=handle)  # type: ignore[return-value]
    return handle


def detect_format(path: Path) -> InputFormat:
    """Tell the format from the first bytes of the (decompressed) content."""
    try:
        with _open_binary(path) as handle:
            head = handle.read(SNIFF_BYTES)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise InputError(path, f"truncated or damaged gzip ({error})") from error
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        if "<PubmedArticleSet" in text or "<PubmedBookArticleSet" in text:
            return InputFormat.PUBMED
        if "<collection" in text:
            return InputFormat.BIOC_XML
        raise InputError(path, "XML that is neither PubMed (PubmedArticleSet) nor BioC")
    if text.startswith(("{", "[")) and '"documents"' in text:
        return InputFormat.BIOC_JSON
    if ".json" in path.suffixes:
        raise InputError(path, "JSON that is not BioC (no 'documents' list)")
    first = text.split("\n", 1)[0]
    if "|t|" in first and first.split("|", 1)[0].strip().isdigit():
        return InputFormat.PUBTATOR
    return InputFormat.TEXT


def read_documents(
    path: Path, deleted: list[str] | None = None, encoding: str | None = None
) -> Iterator[Document]:
    """The documents of one input file, in the file's order.

    PMIDs that a PubMed update file deletes are appended to `deleted`. `encoding` applies to
    text, PubTator and BioC JSON files; XML says its own encoding in its declaration.
    """
    input_format = detect_format(path)
    if input_format is InputFormat.PUBMED:
        yield from read_pubmed(path, deleted)
    elif input_format is InputFormat.BIOC_XML:
        yield from read_bioc_xml(path)
    else:
        readers: dict[InputFormat, Callable[[Path, str | None], Iterator[Document]]] = {
            InputFormat.TEXT: _read_text_file,
            InputFormat.BIOC_JSON: read_bioc_json,
            InputFormat.PUBTATOR: read_pubtator,
        }
        yield from readers[input_format](path, encoding)


def document_id(path: Path) -> str:
    """A text file's id: its name without `.txt`/`.gz` suffixes."""
    name = path.name
    for suffix in (".gz", ".txt"):
        name = name.removesuffix(suffix)
    return name


def _read_text_file(path: Path, encoding: str | None = None) -> Iterator[Document]:
    try:
        with _open_binary(path) as handle:
            raw = handle.read()
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise InputError(path, f"truncated or damaged gzip ({error})") from error
    text = decode_text(path, raw, encoding)
    if not text.strip():
        raise InputError(path, "empty file")
    yield Document(id=document_id(path), text=text)


# ---------------------------------------------------------------------------------------------
# XML


def _text_of(element: ElementTree.Element | None) -> str:
    """All text inside an element (inline markup such as <i> kept as its words)."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _iter_records(path: Path, tags: frozenset[str]) -> Iterator[ElementTree.Element]:
    """Complete elements with one of `tags`, cleared after the caller has used them."""
    handle = _open_binary(path)
    # defusedxml refuses entity declarations and external references: a file that points at
    # /etc/passwd or holds an entity bomb is reported at once, never expanded. A DOCTYPE line
    # alone (every PubMed file has one) is allowed.
    parser = SafeElementTree.iterparse(handle, events=("end",))
    try:
        for _, element in parser:
            if element.tag in tags:
                yield element
                element.clear()
    except DefusedXmlException as error:
        raise InputError(path, f"unsafe XML refused ({type(error).__name__})") from error
    except ElementTree.ParseError as error:
        line = error.position[0] if error.position else "?"
        raise InputError(path, f"line {line}: malformed XML ({error.msg})") from error
    except (EOFError, gzip.BadGzipFile, OSError) as error:
        raise InputError(path, f"truncated or damaged gzip ({error})") from error
    finally:
        handle.close()


PUBMED_TAGS = frozenset({"PubmedArticle", "DeleteCitation"})


def read_pubmed(path: Path, deleted: list[str] | None = None) -> Iterator[Document]:
    """PubMed/MEDLINE XML: one document per PMID, the title followed by every AbstractText.

    PMIDs listed in a DeleteCitation (daily update files) are appended to `deleted`.
    """
    for element in _iter_records(path, PUBMED_TAGS):
        if element.tag == "DeleteCitation":
            if deleted is not None:
                deleted.extend(_text_of(pmid) for pmid in element.iter("PMID"))
            continue
        pmid = _text_of(element.find("MedlineCitation/PMID"))
        title = _text_of(element.find("MedlineCitation/Article/ArticleTitle"))
        sections = []
        for section in element.iterfind("MedlineCitation/Article/Abstract/AbstractText"):
            label, body = section.get("Label"), _text_of(section)
            sections.append(f"{label}: {body}" if label and body else body)
        text = "\n".join(part for part in (title, " ".join(s for s in sections if s)) if part)
        if pmid and text:
            yield Document(id=pmid, text=text)


def place_passages(passages: list[tuple[int | None, str]], length: Any = None) -> str | None:
    """The document text with each passage at its offset, line breaks in the gaps.

    None when the offsets cannot be honoured (one missing, or passages overlapping): the
    caller then joins the passages by line breaks. A document's BIOC_LENGTH_INFON (as
    claimminer writes it) restores the line breaks after the last passage.
    """
    text = ""
    for offset, passage in passages:
        if offset is None or offset < len(text):
            return None
        text += "\n" * (offset - len(text)) + passage
    total = _offset(length)
    return text + "\n" * (total - len(text)) if total is not None and total > len(text) else text


def _raw_text(passage: ElementTree.Element) -> str:
    """A passage's text exactly as written."""
    element = passage.find("text")
    return "".join(element.itertext()) if element is not None else ""


def _offset(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def read_bioc_xml(path: Path) -> Iterator[Document]:
    """BioC XML: one document per <document>, each passage at its offset.

    Without usable offsets the passages' text (whitespace normalised) is joined by newlines.
    """
    for element in _iter_records(path, frozenset({"document"})):
        doc_id = _text_of(element.find("id"))
        passages = element.findall("passage")
        length = next(
            (i.text for i in element.findall("infon") if i.get("key") == BIOC_LENGTH_INFON), None
        )
        placed = place_passages(
            [(_offset(p.findtext("offset")), _raw_text(p)) for p in passages], length
        )
        text = (
            placed
            if placed is not None
            else "\n".join(t for p in passages if (t := _text_of(p.find("text"))))
        )
        if doc_id and text.strip():
            yield Document(id=doc_id, text=text)


# ---------------------------------------------------------------------------------------------
# JSON and PubTator


def read_bioc_json(path: Path, encoding: str | None = None) -> Iterator[Document]:
    """BioC JSON: {"documents": [{"id": ..., "passages": [{"text": ...}, ...]}, ...]}."""
    try:
        data: Any = json.loads("\n".join(line for _, line in _text_lines(path, encoding)))
    except json.JSONDecodeError as error:
        raise InputError(path, f"line {error.lineno}: not JSON ({error.msg})") from error
    collections = data if isinstance(data, list) else [data]
    for collection in collections:
        if not isinstance(collection, dict) or not isinstance(collection.get("documents"), list):
            raise InputError(path, "BioC JSON needs a 'documents' list")
        for record in collection["documents"]:
            passages = record.get("passages") if isinstance(record, dict) else None
            if not isinstance(passages, list) or "id" not in record:
                raise InputError(path, "a BioC document needs an 'id' and a 'passages' list")
            parts = [p for p in passages if isinstance(p, dict)]
            infons = record.get("infons")
            length = infons.get(BIOC_LENGTH_INFON) if isinstance(infons, dict) else None
            placed = place_passages(
                [(_offset(p.get("offset")), p.get("text") or "") for p in parts], length
            )
            text = placed if placed is not None else "\n".join(p.get("text") or "" for p in parts)
            if text.strip():
                yield Document(
                    id=str(record["id"]), text=text if placed is not None else text.strip()
                )


def _text_lines(path: Path, encoding: str | None = None) -> Iterator[tuple[int, str]]:
    handle = io.TextIOWrapper(_open_binary(path), encoding=encoding or "utf-8-sig")
    try:
        for number, line in enumerate(handle, start=1):
            yield number, line.rstrip("\r\n")
    except (EOFError, gzip.BadGzipFile) as error:
        raise InputError(path, f"truncated or damaged gzip ({error})") from error
    except UnicodeDecodeError as error:
        raise InputError(path, f"not {encoding or 'UTF-8'} text (byte {error.start})") from error
    finally:
        handle.close()


def read_pubtator(path: Path, encoding: str | None = None) -> Iterator[Document]:
    """PubTator: `PMID|t|title` and `PMID|a|abstract` lines, read as a stream.

    Annotation lines (tab-separated) are ignored.
    """
    current: str | None = None
    parts: dict[str, str] = {}

    def finished() -> Iterator[Document]:
        text = "\n".join(p for p in (parts.get("t", ""), parts.get("a", "")) if p)
        if current is not None and text:
            yield Document(id=current, text=text)

    for number, line in _text_lines(path, encoding):
        head = line.split("\t", 1)[0]
        if not line.strip() or "|" not in head:
            continue  # a blank line between articles, or an annotation line
        pmid, kind, body = [*line.split("|", 2), "", ""][:3]
        if not pmid.strip().isdigit() or kind not in ("t", "a"):
            raise InputError(path, f"line {number}: expected 'PMID|t|title' or 'PMID|a|text'")
        if pmid != current:
            yield from finished()
            current, parts = pmid, {}
        parts[kind] = body.strip()
    yield from finished()
