from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimminer.brat import (
    _BratParse,
    _claims_from_parse,
    document_to_ann,
    read_ann,
    read_brat_dir,
    read_predictions,
    write_brat_dir,
)
from claimminer.errors import DataFileError, InputError
from claimminer.formats import read_documents
from claimminer.io import (
    Skipped,
    atomic_writer,
    document_to_json,
    find_inputs,
    read_jsonl,
    read_text,
    write_jsonl,
)
from claimminer.model import Claim, Context, Document, Mention

GOLD = Path(__file__).resolve().parents[1] / "gold"

TEXT = "IL-2 increases IFN-gamma in T cells. Dexamethasone does not reduce IL-10."


def span(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def make_document(doc_id: str = "doc1") -> Document:
    def m(ann_id: str, needle: str, label: str, concept: str | None = None) -> Mention:
        start, end = span(TEXT, needle)
        return Mention(ann_id, start, end, needle, label, concept, concept and needle.lower())

    entities = (
        m("e1", "IL-2", "CYTOKINE", "HGNC:6001"),
        m("e2", "IFN-gamma", "CYTOKINE", "HGNC:5438"),
        m("e3", "T cells", "CELL_TYPE"),
        m("e4", "Dexamethasone", "CHEMICAL", "CHEBI:41879"),
        m("e5", "IL-10", "CYTOKINE"),
    )
    first_end = TEXT.index(".") + 1
    claims = (
        Claim(
            "c1",
            "e1",
            "increases",
            "e2",
            hedged=True,
            context=Context(organism="human", genotype="IL-2 KO", setting="in vitro"),
            sentence_start=0,
            sentence_end=first_end,
            trigger_start=5,
            trigger_end=14,
            rule="increases_active",
            confidence=0.5,
        ),
        Claim(
            "c2",
            "e4",
            "decreases",
            "e5",
            negated=True,
            sentence_start=first_end + 1,
            sentence_end=len(TEXT),
            trigger_start=span(TEXT, "reduce")[0],
            trigger_end=span(TEXT, "reduce")[1],
        ),
    )
    return Document(doc_id, TEXT, entities, claims)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# find_inputs and plain text


def test_find_inputs_walks_directories_recursively_in_sorted_order(tmp_path: Path) -> None:
    write(tmp_path / "in" / "b.txt", "b")
    write(tmp_path / "in" / "a.txt", "a")
    write(tmp_path / "in" / "sub" / "c.txt", "c")
    write(tmp_path / "in" / "a.ann", "T1\tX 0 1\ta")
    found, skipped = find_inputs([tmp_path / "in"])
    assert found == [
        tmp_path / "in" / "a.txt",
        tmp_path / "in" / "b.txt",
        tmp_path / "in" / "sub" / "c.txt",
    ]
    assert skipped == []


def test_find_inputs_reports_missing_paths_and_wrong_suffixes(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "text")
    pdf = write(tmp_path / "paper.pdf", b"%PDF")
    missing = tmp_path / "missing.txt"
    found, skipped = find_inputs([missing, pdf, good])
    assert found == [good]
    assert skipped == [
        Skipped(missing, "no such file or directory"),
        Skipped(pdf, "unsupported file type '.pdf'"),
    ]


def test_find_inputs_skips_a_directory_without_text_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    write(tmp_path / "anns" / "x.ann", "")
    found, skipped = find_inputs([empty, tmp_path / "anns"])
    assert found == []
    assert [s.path for s in skipped] == [empty, tmp_path / "anns"]
    assert all(s.reason == "directory holds no readable files" for s in skipped)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"abc\x00def", "binary file"),
        (
            "caf\u00e9 na\u00efve".encode("latin-1"),
            "not UTF-8 text (byte 3; Latin-1 or cp1252? run with --encoding latin-1",
        ),
    ],
)
def test_read_text_rejects_non_text_naming_the_file(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = write(tmp_path / "bad.txt", content)
    with pytest.raises(InputError) as caught:
        read_text(path)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: ")
    assert reason in str(caught.value)


@pytest.mark.parametrize("content", ["", "  \n\t\n", "\ufeff"])
def test_read_documents_rejects_empty_text_files(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "blank.txt", content)
    with pytest.raises(InputError, match="empty file") as caught:
        list(read_documents(path))
    assert caught.value.path == path


def test_read_documents_drops_bom_and_uses_stem_as_id(tmp_path: Path) -> None:
    path = write(tmp_path / "abstract-7.txt", "\ufeffIL-2 binds CD25.\r\n".encode())
    assert list(read_documents(path)) == [Document("abstract-7", "IL-2 binds CD25.\r\n")]


def test_read_text_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_text(tmp_path / "nope.txt")


# ---------------------------------------------------------------------------------------------
# JSONL


def test_jsonl_round_trip_gives_equal_documents(tmp_path: Path) -> None:
    documents = [make_document("a"), Document("b", "Nothing here."), make_document("c")]
    path = tmp_path / "out" / "claims.jsonl"
    assert write_jsonl(documents, path) == 3
    assert read_jsonl(path) == documents
    assert [p.name for p in path.parent.iterdir()] == ["claims.jsonl"]


def test_jsonl_writes_trigger_text_and_only_stated_context(tmp_path: Path) -> None:
    record = document_to_json(make_document())
    first = record["claims"][0]
    assert first["trigger"] == {"start": 5, "end": 14, "text": "increases"}
    assert first["context"] == {"organism": "human", "genotype": "IL-2 KO", "setting": "in vitro"}
    assert record["claims"][1]["context"] == {}


def _line(**changes: object) -> str:
    record = document_to_json(make_document())
    for dotted, value in changes.items():
        target = record
        *parents, last = dotted.split("__")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value
    return json.dumps(record)


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ("{not json", "Expecting property name"),
        ("[1, 2]", "line is not a JSON object"),
        (_line(entities__0__text="IL-3"), "entity e1: text[0:4] is 'IL-2', not 'IL-3'"),
        (_line(entities__1__label="GENE"), "entity e2: unknown label 'GENE'"),
        (_line(claims__0__object="e9"), "claim c1: argument 'e9' is not an entity id"),
        (_line(claims__1__predicate="inhibits"), "claim c2: unknown predicate 'inhibits'"),
        (_line(entities__0__start="0"), "field 'start' is missing or not int"),
        (_line(entities__0__start=True), "field 'start' is missing or not int"),
        (_line(entities=["e1"]), "'str' object has no attribute 'get'"),
    ],
)
def test_read_jsonl_errors_name_file_and_line(tmp_path: Path, bad_line: str, problem: str) -> None:
    good = json.dumps(document_to_json(make_document("ok")))
    path = write(tmp_path / "claims.jsonl", f"{good}\n\n{bad_line}\n")
    with pytest.raises(DataFileError) as caught:
        read_jsonl(path)
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{path}:3: ")
    assert problem in caught.value.problem


def test_read_jsonl_rejects_duplicate_document_ids_at_the_second_line(tmp_path: Path) -> None:
    line = json.dumps(document_to_json(make_document("same")))
    path = write(tmp_path / "dup.jsonl", f"{line}\n{line}\n")
    with pytest.raises(DataFileError) as caught:
        read_jsonl(path)
    assert caught.value.line == 2
    assert str(caught.value) == f"{path}:2: document id 'same' appears twice"


def test_read_jsonl_rejects_non_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.jsonl", b'{"id": "\xe9"}\n')
    with pytest.raises(InputError, match="not UTF-8"):
        read_jsonl(path)


def test_atomic_writer_leaves_nothing_when_the_body_raises(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.jsonl"
    with pytest.raises(RuntimeError, match="boom"), atomic_writer(target) as handle:
        handle.write("partial")
        raise RuntimeError("boom")
    assert list(tmp_path.rglob("*")) == [tmp_path / "sub"]


def test_atomic_writer_keeps_the_old_file_when_the_body_raises(tmp_path: Path) -> None:
    target = write(tmp_path / "out.txt", "old")
    with pytest.raises(KeyboardInterrupt), atomic_writer(target) as handle:
        handle.write("new")
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_writer_replaces_the_file_on_success(tmp_path: Path) -> None:
    target = write(tmp_path / "out.txt", "old")
    with atomic_writer(target) as handle:
        handle.write("new")
    assert target.read_text(encoding="utf-8") == "new"
    assert list(tmp_path.iterdir()) == [target]


# ---------------------------------------------------------------------------------------------
# brat


def test_read_brat_dir_reads_the_gold_folder() -> None:
    documents = read_brat_dir(GOLD)
    assert [d.id for d in documents] == sorted(p.stem for p in GOLD.glob("*.ann"))
    seed = {d.id: d for d in documents if d.id in ("bemiss2002", "il2-overview", "il2-tcgf")}
    assert [len(seed[k].entities) for k in sorted(seed)] == [47, 11, 10]
    assert [len(seed[k].claims) for k in sorted(seed)] == [10, 6, 5]
    for document in documents:
        for mention in document.entities:
            assert document.text[mention.start : mention.end] == mention.text
        for claim in document.claims:
            document.entity(claim.subject)
            document.entity(claim.object)


def test_read_brat_dir_restores_spaces_in_context_values() -> None:
    bemiss = next(d for d in read_brat_dir(GOLD) if d.id == "bemiss2002")
    claim = next(c for c in bemiss.claims if c.id == "E5")
    assert claim.predicate == "affects"
    assert claim.negated is True
    assert claim.hedged is False
    assert claim.context == Context(
        organism="mouse", genotype="IL-2 KO", setting="in vitro", cell_source="IL-2 KO mice"
    )
    assert bemiss.entity(claim.subject).text == "1,25-dihydroxyvitamin D3"
    assert bemiss.entity(claim.object).concept_id == "HGNC:5438"
    assert bemiss.text[claim.trigger_start : claim.trigger_end] == "refractory"


def test_read_brat_dir_rejects_a_folder_without_annotations(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "text")
    with pytest.raises(InputError, match=r"no \.txt files with a \.ann"):
        read_brat_dir(tmp_path)
    with pytest.raises(InputError, match="not a directory"):
        read_brat_dir(tmp_path / "a.txt")


ANN_TEXT = "IL-2 binds CD25 on T cells."


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("T2\tPROTEIN 11\tCD25", "bad offsets '11'"),
        ("T2\tPROTEIN eleven 15\tCD25", "invalid literal"),
        ("T2\tPROTEIN 11 99\tCD25", "offsets 11-99 outside the text (length 27)"),
        ("T2\tPROTEIN 15 11\tCD25", "outside the text"),
        ("T2\tPROTEIN 10 14\tCD25", "text at 10-14 is ' CD2', not 'CD25'"),
        ("X2\tsomething", "unknown annotation id 'X2'"),
        ("E1\tbinds", "event line needs"),
        ("N1\tReference T1", "normalization line needs"),
        ("A1\tNegated", "attribute line needs"),
    ],
)
def test_read_ann_errors_name_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    ann = write(tmp_path / "d.ann", f"T1\tCYTOKINE 0 4\tIL-2\n\n{line}\n")
    with pytest.raises(DataFileError) as caught:
        read_ann(ann, ANN_TEXT, "d")
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{ann}:3: ")
    assert problem in caught.value.problem


def test_read_ann_ignores_relations_and_notes_and_reads_groundings(tmp_path: Path) -> None:
    ann = write(
        tmp_path / "d.ann",
        "T2\tPROTEIN 11 15\tCD25\n"
        "T1\tCYTOKINE 0 4\tIL-2\n"
        "T3\tbinds 5 10\tbinds\n"
        "R1\tRel Arg1:T1 Arg2:T2\n"
        "#1\tAnnotatorNotes T1\tcheck\n"
        "N1\tReference T1 HGNC:6001\tIL2\n",
    )
    mentions, _ = read_ann(ann, ANN_TEXT, "d")
    assert mentions == [
        Mention("T1", 0, 4, "IL-2", "CYTOKINE", "HGNC:6001", "IL2"),
        Mention("T2", 11, 15, "CD25", "PROTEIN"),
    ]


def _parse_with_event(roles: dict[str, str], event_type: str = "binds") -> _BratParse:
    return _BratParse(
        text_bound={
            "T1": ("CYTOKINE", 0, 4, "IL-2", 1),
            "T2": ("PROTEIN", 11, 15, "CD25", 2),
            "T3": ("binds", 5, 10, "binds", 3),
        },
        references={},
        events={"E1": (event_type, "T3", roles, 7)},
        attributes={"E1": {"Rule": "binds_active", "Setting": "in_vivo", "Hedged": True}},
    )


@pytest.mark.parametrize(
    ("roles", "event_type", "problem"),
    [
        ({"Subject": "T1", "Object": "T2"}, "inhibits", "unknown predicate 'inhibits'"),
        ({"Subject": "T1"}, "binds", "needs exactly Subject and Object"),
        ({"Subject": "T1", "Object": "T2", "Site": "T2"}, "binds", "needs exactly"),
        ({"Subject": "T1", "Object": "T3"}, "binds", "Object 'T3' is not an entity"),
    ],
)
def test_claims_from_parse_rejects_bad_events(
    roles: dict[str, str], event_type: str, problem: str
) -> None:
    path = Path("x.ann")
    with pytest.raises(DataFileError) as caught:
        _claims_from_parse(_parse_with_event(roles, event_type), path, {"T1", "T2"})
    assert caught.value.line == 7
    assert str(caught.value) == f"x.ann:7: {caught.value.problem}"
    assert problem in caught.value.problem


def test_claims_from_parse_reads_flags_context_and_rule_verbatim() -> None:
    parse = _parse_with_event({"Subject": "T1", "Object": "T2"})
    [claim] = _claims_from_parse(parse, Path("x.ann"), {"T1", "T2"})
    assert claim == Claim(
        "E1",
        "T1",
        "binds",
        "T2",
        hedged=True,
        context=Context(setting="in vivo"),
        trigger_start=5,
        trigger_end=10,
        rule="binds_active",
    )


def _by_span(document: Document) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    entities = {(m.start, m.end, m.text, m.label, m.concept_id) for m in document.entities}
    index = document.entity_index()
    claims = {
        (
            (index[c.subject].start, index[c.subject].end),
            c.predicate,
            (index[c.object].start, index[c.object].end),
            c.negated,
            c.hedged,
            c.context,
            (c.trigger_start, c.trigger_end),
            c.rule,
        )
        for c in document.claims
    }
    return entities, claims


def test_brat_round_trip_keeps_entities_and_claims(tmp_path: Path) -> None:
    original = make_document("doc1")
    assert write_brat_dir([original, make_document("doc2")], tmp_path / "brat") == 2
    documents = read_brat_dir(tmp_path / "brat")
    assert [d.id for d in documents] == ["doc1", "doc2"]
    assert documents[0].text == original.text
    assert _by_span(documents[0]) == _by_span(original)
    assert len(documents[0].claims) == 2


def test_brat_round_trip_of_the_gold_folder(tmp_path: Path) -> None:
    gold = read_brat_dir(GOLD)
    write_brat_dir(gold, tmp_path)
    again = read_brat_dir(tmp_path)
    assert [_by_span(d) for d in again] == [_by_span(d) for d in gold]


def test_document_to_ann_shares_one_trigger_between_claims() -> None:
    document = make_document()
    shared = Claim("c3", "e1", "increases", "e3", trigger_start=5, trigger_end=14)
    ann = document_to_ann(Document("d", TEXT, document.entities, (*document.claims, shared)))
    lines = ann.splitlines()
    assert [line for line in lines if line.startswith("T") and "increases" in line] == [
        "T6\tincreases 5 14\tincreases"
    ]
    assert "E3\tincreases:T6 Subject:T1 Object:T3" in lines
    assert "A1\tHedged E1" in lines
    assert "A3\tGenotype E1 IL-2_KO" in lines
    assert "N1\tReference T1 HGNC:6001\til-2" in lines


def test_document_to_ann_uses_the_sentence_when_a_claim_has_no_trigger() -> None:
    document = make_document()
    bare = Claim("c1", "e1", "affects", "e3", sentence_start=0, sentence_end=5)
    ann = document_to_ann(Document("d", TEXT, document.entities, (bare,)))
    assert "T6\taffects 0 5\tIL-2 " in ann.splitlines()


def test_read_predictions_dispatches_on_directory_or_file(tmp_path: Path) -> None:
    document = make_document()
    write_brat_dir([document], tmp_path / "brat")
    write_jsonl([document], tmp_path / "pred.jsonl")
    from_brat = read_predictions(tmp_path / "brat")
    from_jsonl = read_predictions(tmp_path / "pred.jsonl")
    assert from_jsonl == [document]
    assert [_by_span(d) for d in from_brat] == [_by_span(document)]
    assert from_brat[0].entities[0].id == "T1"  # brat ids, so the brat reader was used


def test_read_predictions_rejects_a_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(InputError) as caught:
        read_predictions(missing)
    assert str(caught.value) == f"{missing}: no such file or directory"
