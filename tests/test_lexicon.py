from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimminer.errors import DataFileError
from claimminer.lexicon import (
    default_lexicon,
    load_lexicon_files,
    normalize_key,
    spell_greek,
    term_variants,
    write_greek,
)

HEADER = "term\tconcept_id\tconcept_name\tlabel\tcase_sensitive\tsource\n"


def write_tsv(tmp_path: Path, rows: list[str], name: str = "lex.tsv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("a", "b"),
    [("IFN-γ", "IFN gamma"), ("IFN-gamma", "ifngamma"), ("TNF–α", "TNF-alpha"), ("IL-2", "il2")],
)
def test_lexicon_normalize_key_ignores_case_greek_and_dashes(a: str, b: str) -> None:
    assert normalize_key(a) == normalize_key(b)


@given(st.text())
def test_lexicon_normalize_key_is_idempotent(text: str) -> None:
    assert normalize_key(normalize_key(text)) == normalize_key(text)


def test_lexicon_greek_spelling_both_ways() -> None:
    assert spell_greek("TGF-β1") == "TGF-beta1"
    assert write_greek("IFN-gamma") == "IFN-γ"
    assert write_greek("Alphabet") == "Alphabet"  # only whole Greek names


@pytest.mark.parametrize(
    ("term", "label", "expected"),
    [
        ("IL-2", "CYTOKINE", {"IL-2", "IL2", "IL 2"}),
        ("interleukin 2", "CYTOKINE", {"interleukin 2", "interleukin-2"}),
        ("IFN-γ", "CYTOKINE", {"IFN-gamma", "IFNγ", "IFN gamma"}),
        ("T cell", "CELL_TYPE", {"T-cells", "T cells", "T lymphocytes"}),
        ("human", "SPECIES", {"humans"}),
    ],
)
def test_lexicon_term_variants_cover_writers_spellings(
    term: str, label: str, expected: set[str]
) -> None:
    assert expected <= term_variants(term, label)


def test_lexicon_long_names_are_not_run_together() -> None:
    assert "interleukin2" not in term_variants("interleukin 2", "CYTOKINE")


def test_lexicon_loads_and_looks_up(tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path,
        [
            "IL-2\tHGNC:6001\tIL2\tCYTOKINE\tno\tHGNC",
            "NK cell\tCL:0000623\tNK cell\tCELL_TYPE\tyes\tCL",
        ],
    )
    lexicon = load_lexicon_files([path])
    assert len(lexicon) == 2
    assert lexicon.lookup("il 2").concept_id == "HGNC:6001"
    assert lexicon.lookup("NK cells").concept_id == "CL:0000623"
    assert lexicon.lookup("nk cell") is None  # case-sensitive synonym


@pytest.mark.parametrize(
    ("rows", "line", "problem"),
    [
        (["IL-2\tHGNC:6001\tIL2\tCYTOKIN\tno\tHGNC"], 2, "unknown label"),
        (["IL-2\t\tIL2\tCYTOKINE\tno\tHGNC"], 2, "empty 'concept_id'"),
        (["IL-2\tHGNC6001\tIL2\tCYTOKINE\tno\tHGNC"], 2, "not a CURIE"),
        (["IL-2\tHGNC:6001\tIL2\tCYTOKINE\tmaybe\tHGNC"], 2, "case_sensitive"),
        (["IL-2\tHGNC:6001\tIL2\tCYTOKINE\tno"], 2, "5 cells"),
        (
            ["IL-2\tHGNC:6001\tIL2\tCYTOKINE\tno\tHGNC", "il 2\tHGNC:5962\tIL10\tCYTOKINE\tno\tx"],
            3,
            "is HGNC:5962 here but HGNC:6001",
        ),
    ],
)
def test_lexicon_rejects_bad_rows_with_file_and_line(
    tmp_path: Path, rows: list[str], line: int, problem: str
) -> None:
    path = write_tsv(tmp_path, rows)
    with pytest.raises(DataFileError) as caught:
        load_lexicon_files([path])
    assert caught.value.line == line
    assert problem in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}:")


def test_lexicon_rejects_unknown_columns(tmp_path: Path) -> None:
    path = write_tsv(tmp_path, [], header=HEADER.replace("source", "origin"))
    with pytest.raises(DataFileError, match="unknown columns"):
        load_lexicon_files([path])


def test_lexicon_conflict_across_files_names_the_other_file(tmp_path: Path) -> None:
    first = write_tsv(tmp_path, ["IL-2\tHGNC:6001\tIL2\tCYTOKINE\tno\tHGNC"], "a.tsv")
    second = write_tsv(tmp_path, ["IL2\tHGNC:1\tX\tPROTEIN\tno\tHGNC"], "b.tsv")
    with pytest.raises(DataFileError, match=r"a\.tsv:2"):
        load_lexicon_files([first, second])


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("IL-2", "HGNC:6001"),
        ("Interleukin-2", "HGNC:6001"),
        ("T-cell growth factor", "HGNC:6001"),
        ("IFN-γ", "HGNC:5438"),
        ("interferon gamma", "HGNC:5438"),
        ("IL-10", "HGNC:5962"),
        ("1,25-dihydroxyvitamin D3", "CHEBI:17823"),
        ("1,25(OH)2D3", "CHEBI:17823"),
        ("calcitriol", "CHEBI:17823"),
        ("vitamin D", "CHEBI:27300"),
        ("Con A", "CHEBI:232423"),
        ("NK cells", "CL:0000623"),
        ("macrophages", "CL:0000235"),
        ("mice", "NCBITaxon:10090"),
        ("colitis", "MONDO:0005292"),
        ("CD25", "HGNC:6008"),
    ],
)
def test_lexicon_shipped_grounds_seed_spellings(text: str, concept: str) -> None:
    grounding = default_lexicon().lookup(text)
    assert grounding is not None, text
    assert grounding.concept_id == concept


def test_lexicon_receptor_is_not_its_cytokine() -> None:
    lexicon = default_lexicon()
    assert lexicon.lookup("IL-2R alpha").concept_id != lexicon.lookup("IL-2").concept_id


@pytest.mark.parametrize("word", ["Mono", "CAT", "ALL"])
def test_lexicon_source_aliases_that_are_words_or_prefixes_are_not_terms(word: str) -> None:
    """An ontology's colloquial alias ("Mono", infectious mononucleosis) read "Mono A" wrong."""
    assert default_lexicon().lookup(word) is None


@pytest.mark.parametrize(
    ("british", "american"),
    [("oestrogen", "estrogen"), ("haemopoietic", "hemopoietic"), ("tumour", "tumor"),
     ("coeliac", "celiac"), ("four", "four"), ("aerobic", "aerobic")],
)  # fmt: skip
def test_lexicon_british_spellings_match_american_terms(british: str, american: str) -> None:
    from claimminer.lexicon import american_spelling

    assert american_spelling(british) == american
    assert normalize_key(british) == normalize_key(american)


def test_lexicon_symbols_are_not_respelled() -> None:
    from claimminer.lexicon import american_spelling

    assert american_spelling("raet1l") == "raet1l"
    assert normalize_key("RAET1L") != normalize_key("RET1L")


@pytest.mark.parametrize(
    "text",
    ["myeloid progenitor cells", "myeloid progenitr cell", "natural killer T cel", "B cell", "x"],
)
def test_lexicon_fuzzy_lookup_reads_only_keys_difflib_would_not_reject_on_length(
    text: str,
) -> None:
    import difflib

    from claimminer.lexicon import FUZZY_CUTOFF

    lexicon = default_lexicon()
    lexicon.fuzzy_lookup("a cell", "CELL_TYPE")  # builds the per-label tables
    keys = lexicon._keys_by_label["CELL_TYPE"]
    key = normalize_key(text)
    window = lexicon._keys_close_in_length(key, "CELL_TYPE")
    assert len(window) < len(keys)
    every = difflib.get_close_matches(key, list(keys), n=3, cutoff=FUZZY_CUTOFF)
    assert difflib.get_close_matches(key, window, n=3, cutoff=FUZZY_CUTOFF) == every


def test_lexicon_pickled_as_columns_keeps_rows_lookups_and_patterns(tmp_path: Path) -> None:
    import pickle

    path = write_tsv(
        tmp_path,
        [
            "IL-2\tHGNC:6001\tIL2\tCYTOKINE\tno\tHGNC",
            "NK cells\tCL:0000623\tnatural killer cell\tCELL_TYPE\tyes\tCL",
        ],
    )
    lexicon = load_lexicon_files([path])
    copy = pickle.loads(pickle.dumps(lexicon))
    assert copy._entries is None, "the rows travel as columns and are rebuilt on use"
    assert len(copy) == 2
    assert copy.lookup("il2") == lexicon.lookup("IL-2")
    assert copy.entries == lexicon.entries
    assert copy.patterns() == lexicon.patterns()
