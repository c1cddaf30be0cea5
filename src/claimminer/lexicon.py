"""Lexicon TSVs: loading with validation, normalisation of spelling variants, ruler patterns.

A lexicon row maps one written synonym to a concept. Matching is exact on the token sequence
(spaCy's span ruler); the variants a writer produces without changing the name (Greek letters
spelled out, hyphen or space or nothing between a symbol and its number, plural cells) are
generated here once, so the data files list each synonym once.
"""

from __future__ import annotations

import csv
import difflib
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from claimminer.cache import files_digest, load_or_build
from claimminer.errors import DataFileError
from claimminer.model import Label

# Tables whose terms only count in a context the pipeline checks (a cell-line code before
# "cells"), so they are not turned into free-standing ruler patterns.
GATED_TABLES = frozenset({"cell_line_codes.tsv"})
COLUMNS = ("term", "concept_id", "concept_name", "label", "case_sensitive", "source")
OPTIONAL_COLUMNS = ("uniprot", "mgi")
REQUIRED_CELLS = ("term", "concept_id", "concept_name", "label", "case_sensitive", "source")
CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9.]*[:_][A-Za-z0-9_.:-]+$")

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
SPELLED_GREEK = {name: letter for letter, name in GREEK.items()}


class _GreekByCode(dict[int, str]):
    """`str.translate` table: a Greek letter (either case) to its name, any other char to itself.

    Filled as characters are met, so the table stays small and translation runs in C.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        name = GREEK.get(char, GREEK.get(char.lower(), char))
        self[code] = name
        return name


GREEK_BY_CODE = _GreekByCode()
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
SPELLED_GREEK_PATTERN = re.compile(
    r"(?<![A-Za-z])((?i:" + "|".join(sorted(SPELLED_GREEK, key=len, reverse=True)) + r"))(?![a-z])"
)
# Similarity (difflib ratio of normalised keys) above which a spelling counts as the same
# name: 0.92 lets one or two characters differ in a 20-character name ('leucocyte' for
# 'leukocyte', a missing plural or hyphen) but not a different number or Greek letter.
FUZZY_CUTOFF = 0.92
FUZZY_MAX_KEYS = 20_000
PLURAL_LABELS = frozenset({Label.CELL_TYPE.value, Label.CELL_LINE.value, Label.SPECIES.value})
GREEK_NAMES = "|".join(sorted(SPELLED_GREEK, key=len, reverse=True))
TRAILING_SUFFIX = re.compile(
    rf"^(.*[A-Za-z])(?:[- ]|(?<=[A-Z])|(?=[0-9]))((?:[0-9]+[A-Za-z]?)|[α-ω]|(?:{GREEK_NAMES}))$"
)
SYMBOL = re.compile(r"^[A-Z][A-Za-z]{0,5}$")
# An upper-case gene symbol with a number: 'SP1', 'OCT2', 'GATA1' (not 'IL2R' or 'CD4').
UPPER_SYMBOL = re.compile(r"^(?!IL|CD|HLA)[A-Z]{2,5}-?[0-9]{1,2}$")
# "ae"/"oe" inside or at the start of a word (haem-, leukaemia, oestrogen, coeliac) and "our"
# after m, l or v at a word's end (tumour, colour, behaviour).
BRITISH = re.compile(r"(?<=[a-z])ae(?=[a-z])|(?:(?<=[a-z])|^)oe(?=[a-z])|(?<=[mlv])our\b")
GREEK_NAME = re.compile(f"(?:{GREEK_NAMES})")
NUMBER_GREEK = re.compile(rf"^(.*[A-Za-z])[- ]?([0-9]+)[- ]?([α-ω]|(?:{GREEK_NAMES}))$")
LETTER_CELL = re.compile(r"^(.*\b[TB])[- ](cell|lymphocyte)$")
# Lower-case family names are written in the plural too ("interferons", "chemokines").
FAMILY_NAME = re.compile(r"^[A-Za-z][a-z -]+[a-z]$")
FAMILY_LABELS = frozenset({Label.CYTOKINE.value, Label.PROTEIN.value})


class LexiconEntry(NamedTuple):
    """One synonym row of a lexicon file.

    A NamedTuple rather than a frozen dataclass: hundreds of thousands of them are unpickled
    from the cache at start-up, and tuples load several times faster.
    """

    term: str
    concept_id: str
    concept_name: str
    label: str
    case_sensitive: bool
    source: str


class Grounding(NamedTuple):
    """The concept a lexicon assigns to a normalised string (a NamedTuple for fast loading)."""

    concept_id: str
    concept_name: str
    label: str


def normalize_dashes(text: str) -> str:
    """Unicode dashes and minus signs become ASCII hyphens.

    >>> normalize_dashes("IFN\u2013\u03b3")
    'IFN-\u03b3'
    """
    return text.translate(DASHES)


def spell_greek(text: str) -> str:
    """Greek letters become their English names (NFC first, so 'µ' and 'μ' agree).

    >>> spell_greek("IFN-γ")
    'IFN-gamma'
    """
    return unicodedata.normalize("NFKC", text).translate(GREEK_BY_CODE)


def write_greek(text: str) -> str:
    """Spelled Greek letter names standing alone become letters: 'TNF-alpha' -> 'TNF-α'.

    >>> write_greek("TNF-alpha")
    'TNF-α'
    """
    return SPELLED_GREEK_PATTERN.sub(lambda m: SPELLED_GREEK[m.group(1).lower()], text)


def american_spelling(word: str) -> str:
    """British spellings of medical words in their American form, for matching only.

    >>> american_spelling("oestrogen"), american_spelling("leukaemia"), american_spelling("tumour")
    ('estrogen', 'leukemia', 'tumor')
    """
    if "ae" not in word and "oe" not in word and "our" not in word:
        return word
    if len(word) < 5 or any(ch.isdigit() for ch in word):
        return word  # symbols such as RAET1L are not spellings
    return BRITISH.sub(lambda m: "e" if m.group(0) in ("ae", "oe") else "or", word)


@lru_cache(maxsize=1 << 13)  # bounded: a long run meets ever new keys
def normalize_key(text: str) -> str:
    """Lookup key that ignores case, Greek spelling, dashes, spaces and plural 's'.

    Idempotent, so a key can be normalised again safely.

    >>> normalize_key("IFN-γ") == normalize_key("ifn gamma") == normalize_key("IFNgamma")
    True
    """
    key = text
    for _ in range(4):  # casefolding and NFKC can each undo the other once or twice
        spelled = spell_greek(normalize_dashes(key)).casefold()
        folded = american_spelling(unicodedata.normalize("NFKC", re.sub(r"[\s\-_]+", "", spelled)))
        if folded == key:
            break
        key = folded
    return key


def term_variants(term: str, label: str, case_sensitive: bool = False) -> set[str]:
    """Spellings of `term` that name the same thing and that the ruler must match verbatim.

    >>> sorted(term_variants("IL-2", "CYTOKINE"))
    ['IL 2', 'IL-2', 'IL2']
    >>> sorted(term_variants("T cell", "CELL_TYPE"))  # doctest: +NORMALIZE_WHITESPACE
    ['T cell', 'T cells', 'T lymphocyte', 'T lymphocytes', 'T-cell', 'T-cells', 'T-lymphocyte',
     'T-lymphocytes']
    """
    term = normalize_dashes(unicodedata.normalize("NFC", term)).strip()
    variants = {term, spell_greek(term), write_greek(term)}
    if case_sensitive and UPPER_SYMBOL.match(term):
        variants.add(_protein_case(term))
    for variant in list(variants):
        variants |= _separator_variants(variant)
    variants |= {write_greek(variant) for variant in variants}
    variants |= {_space_greek(variant) for variant in variants}
    is_family = label in FAMILY_LABELS and FAMILY_NAME.match(term) is not None
    if label in PLURAL_LABELS or is_family:
        variants |= {_pluralize(variant) for variant in variants}
    return {variant for variant in variants if variant}


def _separator_variants(term: str) -> set[str]:
    """Hyphen, space or nothing before a trailing number or Greek letter, and T/B-cell forms.

    'IL-2' <-> 'IL 2' <-> 'IL2'; 'interleukin 2' <-> 'interleukin-2'; 'IFN-gamma' <->
    'IFN gamma'; 'T cell' <-> 'T-cell' <-> 'T lymphocyte'. Only the junction before the
    suffix is varied, not every space in a long name; run-together forms only for symbols.
    """
    variants = {term}
    match = TRAILING_SUFFIX.match(term)
    if match:
        head, tail = match.groups()
        variants |= {f"{head}-{tail}", f"{head} {tail}"}
        if SYMBOL.match(head):
            variants.add(f"{head}{tail}")
    match = NUMBER_GREEK.match(term)
    if match:  # 'interleukin 1 beta' -> 'interleukin-1beta', 'IL-1 beta', 'IL1beta' ...
        head, number, letter = match.groups()
        firsts = ("-", " ", "") if SYMBOL.match(head) else ("-", " ")
        variants |= {f"{head}{a}{number}{b}{letter}" for a in firsts for b in ("", " ", "-")}
    match = LETTER_CELL.match(term)
    if match:
        head, _ = match.groups()
        variants |= {f"{head}-cell", f"{head} cell", f"{head} lymphocyte", f"{head}-lymphocyte"}
    return variants


def _space_greek(term: str) -> str:
    """Spaces around a spelled Greek letter glued to a name: 'NF-kappaB' -> 'NF-kappa B'.

    Only a whole letter name counts: it must not run on into lower-case letters, so
    'Metalloproteinase' keeps its 'eta'.
    """

    def pad(match: re.Match[str]) -> str:
        before = term[match.start() - 1] if match.start() else ""
        after = term[match.end()] if match.end() < len(term) else ""
        if after.islower():
            return match.group(0)
        left = " " if before.isalnum() else ""
        right = " " if after.isalnum() else ""
        return f"{left}{match.group(0)}{right}"

    return GREEK_NAME.sub(pad, term)


def _protein_case(symbol: str) -> str:
    """'SP1' -> 'Sp1', 'OCT2' -> 'Oct2': how papers write many proteins and mouse genes."""
    return symbol[0] + "".join(c.lower() if c.isalpha() else c for c in symbol[1:])


def _pluralize(term: str) -> str:
    """Plural of the last word: 'T cell' -> 'T cells', 'cell line' -> 'cell lines'."""
    if term.endswith(("s", "x")) or not term[-1:].isalpha():
        return term
    return term + "s"


def _read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None:
            raise DataFileError(path, 1, "empty file, expected a header")
        unknown = [name for name in header if name not in COLUMNS + OPTIONAL_COLUMNS]
        missing = [name for name in COLUMNS if name not in header]
        if unknown or missing:
            raise DataFileError(
                path, 1, f"header: unknown columns {unknown}, missing columns {missing}"
            )
        for number, cells in enumerate(reader, start=2):
            if not cells or cells[0].startswith("#"):
                continue
            if len(cells) != len(header):
                raise DataFileError(path, number, f"{len(cells)} cells, header has {len(header)}")
            yield number, dict(zip(header, cells, strict=True))


def parse_entry(row: dict[str, str], path: Path, line: int) -> LexiconEntry:
    """Validate one row: no empty required cell, a known label, a CURIE, yes/no case flag."""
    for column in REQUIRED_CELLS:
        if not row[column].strip():
            raise DataFileError(path, line, f"empty {column!r}")
    if row["label"] not in Label.__members__:
        raise DataFileError(path, line, f"unknown label {row['label']!r}")
    if not CURIE.match(row["concept_id"]):
        raise DataFileError(path, line, f"concept_id {row['concept_id']!r} is not a CURIE")
    if row["case_sensitive"] not in ("yes", "no"):
        raise DataFileError(path, line, "case_sensitive must be 'yes' or 'no'")
    # interned: the many rows of one concept share its strings, in memory and in the cache
    return LexiconEntry(
        term=row["term"].strip(),
        concept_id=sys.intern(row["concept_id"].strip()),
        concept_name=sys.intern(row["concept_name"].strip()),
        label=sys.intern(row["label"]),
        case_sensitive=row["case_sensitive"] == "yes",
        source=sys.intern(row["source"].strip()),
    )


def read_entries(path: Path) -> Iterator[tuple[int, LexiconEntry]]:
    """(line number, validated entry) for each row of a lexicon TSV.

    Raises:
        DataFileError: a malformed header or row, with its line.

    """
    for line, row in _read_rows(path):
        yield line, parse_entry(row, path, line)


def _length_ratio(a: int, b: int) -> float:
    """The upper bound difflib puts on the similarity of two strings of these lengths."""
    return 2.0 * min(a, b) / (a + b) if a + b else 1.0


class Lexicon:
    """All synonyms of all lexicon files, with lookups by normalised text and by concept.

    It is pickled with its entries as six columns and rebuilds the rows on first use: the
    rows are needed only to make the matcher's patterns (cached on disk too), and 72,000
    named tuples took half the lexicon's load time at every start-up.
    """

    def __init__(self, entries: Iterable[LexiconEntry]) -> None:
        self._entries: tuple[LexiconEntry, ...] | None = tuple(entries)
        self._columns: tuple[tuple[Any, ...], ...] = ()
        self.size = len(self._entries)
        self.names: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self._by_key: dict[str, Grounding] = {}
        self._by_exact: dict[str, Grounding] = {}
        self._keys_by_label: dict[str, dict[str, Grounding]] = {}
        self._keys_by_length: dict[str, dict[int, list[str]]] = {}
        # one Grounding per concept, shared by its synonyms (fewer objects to unpickle)
        groundings: dict[tuple[str, str, str], Grounding] = {}
        for entry in self._entries:
            fields = (entry.concept_id, entry.concept_name, entry.label)
            grounding = groundings.setdefault(fields, Grounding(*fields))
            self.names.setdefault(entry.concept_id, entry.concept_name)
            self.labels.setdefault(entry.concept_id, entry.label)
            self._by_exact.setdefault(entry.term, grounding)
            if not entry.case_sensitive:
                self._by_key.setdefault(normalize_key(entry.term), grounding)

    def __len__(self) -> int:
        return self.size

    def __getstate__(self) -> dict[str, Any]:
        """The state to pickle, the entries as columns."""
        columns = tuple(zip(*self.entries, strict=True))
        return {**self.__dict__, "_entries": None, "_columns": columns}

    @property
    def entries(self) -> tuple[LexiconEntry, ...]:
        """Every synonym row, in file order."""
        if self._entries is None:
            rows = zip(*self._columns, strict=True)
            self._entries = tuple(LexiconEntry(*row) for row in rows)
            self._columns = ()
        return self._entries

    def lookup(self, text: str) -> Grounding | None:
        """Grounding of a written form: exact synonym first, then its normalised key.

        Case-sensitive synonyms only match as written (after dash and Greek normalisation),
        so 'NK' is found but 'nk' is not.
        """
        text = normalize_dashes(text.strip())
        found = self._by_exact.get(text) or self._by_exact.get(write_greek(text))
        if found is None:
            found = self._by_exact.get(spell_greek(text))
        found = found or self._by_key.get(normalize_key(text))
        if found is None and text.endswith("s"):
            singular = self.lookup(text[:-1])
            found = singular if singular and singular.label in PLURAL_LABELS else None
        return found

    def fuzzy_lookup(self, text: str, label: str) -> Grounding | None:
        """The closest synonym of the same label, if it is close enough (FUZZY_CUTOFF).

        For variants the lexicon lacks ('myeloid progenitor cells' for 'myeloid progenitor
        cell'); only labels with a few thousand keys, where the scan is cheap.
        """
        if label not in self._keys_by_label:
            keys: dict[str, Grounding] = {}
            by_length: dict[int, list[str]] = {}
            for key, grounding in self._by_key.items():
                if grounding.label == label:
                    keys[key] = grounding
                    by_length.setdefault(len(key), []).append(key)
            self._keys_by_label[label] = keys
            self._keys_by_length[label] = by_length
        keys = self._keys_by_label[label]
        if not keys or len(keys) > FUZZY_MAX_KEYS:
            return None
        key = normalize_key(text)
        found = keys.get(key) or keys.get(key.removesuffix("s"))
        if found is not None:
            return found
        close = difflib.get_close_matches(
            key, self._keys_close_in_length(key, label), n=1, cutoff=FUZZY_CUTOFF
        )
        return keys[close[0]] if close else None

    def _keys_close_in_length(self, key: str, label: str) -> list[str]:
        """The keys difflib would not reject on length alone (its `real_quick_ratio`).

        The same test, on lengths only, before difflib scores each of a few thousand keys.
        """
        n = len(key)
        return [
            candidate
            for m, group in self._keys_by_length[label].items()
            if _length_ratio(n, m) >= FUZZY_CUTOFF
            for candidate in group
        ]

    def patterns(self) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """Span-ruler phrase patterns: (case-sensitive, case-insensitive)."""
        exact: dict[tuple[str, str, str], str] = {}
        folded: dict[tuple[str, str, str], str] = {}
        for entry in self.entries:
            target = exact if entry.case_sensitive else folded
            for variant in sorted(term_variants(entry.term, entry.label, entry.case_sensitive)):
                key = variant if entry.case_sensitive else variant.lower()
                # the pattern keeps its case: the tokenizer splits "E. coli" but not "e. coli"
                target.setdefault((entry.label, key, entry.concept_id), variant)
        return _as_patterns(exact), _as_patterns(folded)


def _as_patterns(keys: dict[tuple[str, str, str], str]) -> list[dict[str, str]]:
    return [
        {"label": label, "pattern": text, "id": concept}
        for (label, _, concept), text in keys.items()
    ]


def load_lexicon_files(paths: Iterable[Path]) -> Lexicon:
    """Load and cross-check lexicon files.

    Raises:
        DataFileError: a malformed row, or a term already mapped to another concept (compared
            case-insensitively unless both rows are case-sensitive).

    """
    entries: list[LexiconEntry] = []
    seen: dict[str, tuple[str, Path, int]] = {}
    for path in paths:
        for line, entry in read_entries(path):
            key = entry.term if entry.case_sensitive else normalize_key(entry.term)
            previous = seen.get(key)
            if previous and previous[0] != entry.concept_id:
                raise DataFileError(
                    path,
                    line,
                    f"term {entry.term!r} is {entry.concept_id} here but "
                    f"{previous[0]} at {previous[1].name}:{previous[2]}",
                )
            seen[key] = (entry.concept_id, path, line)
            entries.append(entry)
    return Lexicon(entries)


def default_lexicon_paths() -> list[Path]:
    """The lexicon TSVs shipped in the package, sorted by name, gated tables left out."""
    folder = resources.files("claimminer") / "data" / "lexicon"
    return sorted(
        Path(str(p))
        for p in folder.iterdir()
        if p.name.endswith(".tsv") and p.name not in GATED_TABLES
    )


def cross_references(column: str, paths: Iterable[Path] | None = None) -> dict[str, str]:
    """Concept id -> the value of an optional column (`uniprot`, `mgi`) where a row gives one.

    Read from the TSVs directly: only exports need these, so the lexicon tables do not carry
    them.
    """
    found: dict[str, str] = {}
    for path in default_lexicon_paths() if paths is None else paths:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader, [])
            if column not in header:
                continue
            concept, value = header.index("concept_id"), header.index(column)
            for row in reader:
                if len(row) > value and row[value]:
                    found.setdefault(row[concept], row[value])
    return found


def load_code_table(path: Path) -> dict[str, str]:
    """A gated table as {normalised term: concept id}; terms with two concepts are dropped.

    Only the ids: the table is read at every start-up, and a plain string unpickles in a
    fraction of the time of a grounding (its names are the lexicon's, `Lexicon.names`).
    """
    table: dict[str, tuple[str, str, str]] = {}
    ambiguous: set[str] = set()
    for _, entry in read_entries(path):
        key = normalize_key(entry.term)
        fields = (entry.concept_id, entry.concept_name, entry.label)
        if table.setdefault(key, fields) != fields:
            ambiguous.add(key)
    return {key: fields[0] for key, fields in table.items() if key not in ambiguous}


@cache
def default_code_table() -> dict[str, str]:
    """Cellosaurus codes trusted only before 'cells' (empty if the table is not shipped)."""
    path = Path(str(resources.files("claimminer") / "data" / "lexicon" / "cell_line_codes.tsv"))
    if not path.exists():
        return {}
    return load_or_build("code-table", files_digest([path]), lambda: load_code_table(path), dict)


@cache
def default_lexicon() -> Lexicon:
    """The shipped lexicon, loaded once per process (and cached on disk between processes)."""
    paths = default_lexicon_paths()
    return load_or_build("lexicon", files_digest(paths), lambda: load_lexicon_files(paths), Lexicon)
