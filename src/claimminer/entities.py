"""Entity resolution: from lexicon matches to grounded, non-overlapping `doc.ents`.

The span rulers propose synonyms; this module adds what a dictionary cannot list: names with
an abbreviation inside ("Interleukin (IL)-2", "natural killer (NK) cells"), cell-type phrases
with their modifiers and markers ("activated CD4+ T cells", "myeloid cells"), cell-line phrases
("human T cell line", "UT-7 cells"), proteins named after another protein ("IL-2 receptor",
"anti-CD3") and short forms defined in the text. Each step is a small function over
candidates; the resolver runs them in order and keeps the longest non-overlapping ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from claimminer.errors import DataFileError
from claimminer.lexicon import (
    Grounding,
    Lexicon,
    default_code_table,
    default_lexicon,
    normalize_key,
)
from claimminer.matching import LEXICON_SPANS
from claimminer.model import Label
from claimminer.rules import data_path, load_yaml

ENTITY_COMPONENT = "claimminer_entities"
# "Interleukin (IL)-2" and "interferon (IFN)-gamma": an abbreviation inside the name.
EMBEDDED_ABBREVIATION = re.compile(r"^\(([A-Za-z]{1,8})\)-?([A-Za-z0-9α-ωΑ-Ω]{1,8})$")
PROTEIN_LABELS = frozenset({Label.PROTEIN.value, Label.CYTOKINE.value})
# Labels whose ungrounded mentions may be grounded by close spelling; protein classes and
# classes of cell lines stay ungrounded on purpose.
FUZZY_LABELS = frozenset({Label.CELL_TYPE.value, Label.DISEASE.value})
ENTITY_RULE_KEYS = frozenset(
    {"cell_modifiers", "cell_markers", "cell_lineage_words", "cell_nouns", "cell_line_nouns",
     "protein_classes", "protein_heads", "antibody_prefixes", "malignancy_words",
     "line_markers", "cell_process_nouns"}
)  # fmt: skip

if not Span.has_extension("concept_name"):
    Span.set_extension("concept_name", default=None)
# A singular class noun ("the major interleukin", "a lymphokine"), or an ungrounded name right
# before a grounded one ("the cytokines IL-1 beta and IL-8", "the kinase Itk"), describes
# another mention; it stays an entity, as GENIA annotates it, but never stands as a claim
# argument.
if not Span.has_extension("describes_other"):
    Span.set_extension("describes_other", default=False)


@dataclass(frozen=True, slots=True)
class EntityRules:
    """Span rules from `data/entities.yaml`."""

    cell_modifiers: frozenset[str]
    cell_markers: tuple[re.Pattern[str], ...]
    cell_lineage_words: frozenset[str]
    cell_nouns: frozenset[str]
    cell_line_nouns: frozenset[str]
    protein_classes: dict[str, tuple[str, ...]]
    class_singulars: frozenset[str]
    protein_heads: frozenset[str]
    antibody_prefixes: tuple[str, ...]
    malignancy_words: frozenset[str]
    line_markers: frozenset[str]
    cell_process_nouns: frozenset[str]

    def is_marker(self, text: str) -> bool:
        """True for a surface-marker token such as 'CD4', 'CD25hi' or a lone '+'."""
        return any(pattern.match(text) for pattern in self.cell_markers)

    def is_singular_class(self, text: str) -> bool:
        """True for a class name in the singular, such as 'cytokine' or 'transcription factor'."""
        return " ".join(text.lower().split()) in self.class_singulars

    def class_patterns(self) -> list[dict[str, str]]:
        """Span-ruler patterns (no concept id) for the protein class names and plurals."""
        patterns = []
        for label, names in sorted(self.protein_classes.items()):
            for name in names:
                for form in (name, name + "s" if not name.endswith("y") else name[:-1] + "ies"):
                    patterns.append({"label": label, "pattern": form.lower()})
        return patterns


def load_entity_rules(path: Path) -> EntityRules:
    """Load and check the entity span rules; unknown or missing keys are an error."""
    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) != ENTITY_RULE_KEYS:
        raise DataFileError(path, None, f"needs exactly the keys {sorted(ENTITY_RULE_KEYS)}")
    classes = data["protein_classes"]
    unknown = set(classes) - PROTEIN_LABELS
    if unknown:
        raise DataFileError(path, getattr(classes, "line", None), f"labels {sorted(unknown)}")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(word).lower() for word in data[key])

    return EntityRules(
        cell_modifiers=words("cell_modifiers"),
        cell_markers=tuple(re.compile(pattern) for pattern in data["cell_markers"]),
        cell_lineage_words=words("cell_lineage_words"),
        cell_nouns=words("cell_nouns"),
        cell_line_nouns=words("cell_line_nouns"),
        protein_classes={label: tuple(names) for label, names in classes.items()},
        class_singulars=frozenset(str(n).lower() for names in classes.values() for n in names),
        protein_heads=words("protein_heads"),
        antibody_prefixes=tuple(str(p).lower() for p in data["antibody_prefixes"]),
        malignancy_words=words("malignancy_words"),
        line_markers=words("line_markers"),
        cell_process_nouns=words("cell_process_nouns"),
    )


@cache
def default_entity_rules() -> EntityRules:
    """The shipped entity span rules, loaded once per process."""
    return load_entity_rules(data_path("entities.yaml"))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible entity: token span, label and concept (empty when ungrounded)."""

    start: int
    end: int
    label: str
    concept_id: str

    @classmethod
    def grounded(cls, start: int, end: int, grounding: Grounding) -> Candidate:
        """A candidate carrying a lexicon grounding."""
        return cls(start, end, grounding.label, grounding.concept_id)


def choose(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Longest non-overlapping candidates; on equal length the grounded, then the first.

    The order is total (concept id last), so the choice never depends on set iteration order,
    which changes with Python's hash seed from one run to the next.
    """
    ordered = sorted(
        set(candidates),
        key=lambda c: (-(c.end - c.start), not c.concept_id, c.start, c.label, c.concept_id or ""),
    )
    taken: set[int] = set()
    chosen = []
    for candidate in ordered:
        positions = range(candidate.start, candidate.end)
        if taken.isdisjoint(positions):
            chosen.append(candidate)
            taken.update(positions)
    return sorted(chosen, key=lambda c: c.start)


# ---------------------------------------------------------------------------------------------
# Proposals


@dataclass(frozen=True, slots=True)
class Words:
    """A Doc's token texts and lower-cased texts, read once for the passes over every token.

    Each access to a spaCy token builds a Python object; the proposals below look at every
    token of every document.
    """

    text: tuple[str, ...]
    lower: tuple[str, ...]

    @classmethod
    def of(cls, doc: Doc) -> Words:
        """The words of `doc`.

        >>> import spacy
        >>> Words.of(spacy.blank("en")("NK Cells")).lower
        ('nk', 'cells')
        """
        text = tuple(token.text for token in doc)
        return cls(text, tuple(word.lower() for word in text))


def ruler_candidates(doc: Doc) -> Iterator[Candidate]:
    """Matches of the lexicon span rulers."""
    for span in doc.spans.get(LEXICON_SPANS, []):
        yield Candidate(span.start, span.end, span.label_, span.id_)


def embedded_abbreviation_candidates(
    doc: Doc, lexicon: Lexicon, words: Words | None = None
) -> Iterator[Candidate]:
    """'Interleukin (IL)-2': the long head, then '(SHORT)-suffix' in one token."""
    text = (words or Words.of(doc)).text
    for i in range(1, len(text)):
        match = EMBEDDED_ABBREVIATION.match(text[i]) if text[i][0] == "(" else None
        if not match:
            continue
        short, suffix = match.groups()
        for name in (f"{text[i - 1]}-{suffix}", f"{short}-{suffix}"):
            grounding = lexicon.lookup(name)
            if grounding:
                yield Candidate.grounded(i - 1, i + 1, grounding)
                break


def parenthesised_abbreviation_candidates(
    doc: Doc, lexicon: Lexicon, words: Words | None = None
) -> Iterator[Candidate]:
    """'natural killer (NK) cells': a name whose head follows its own abbreviation."""
    text = (words or Words.of(doc)).text
    for paren in range(1, len(text) - 3):
        if text[paren] != "(" or text[paren + 2] != ")":
            continue
        head = doc[paren + 3]
        if head.is_punct:
            continue  # "lipopolysaccharide (LPS)-induced": no head word follows
        for width in range(1, 5):
            first = paren - width
            if first < 0:
                break
            grounding = lexicon.lookup(" ".join([*text[first:paren], head.text]))
            if grounding:
                yield Candidate.grounded(first, head.i + 1, grounding)
                break


def lineage_cell_candidates(
    doc: Doc, rules: EntityRules, lexicon: Lexicon, words: Words | None = None
) -> Iterator[Candidate]:
    """'myeloid cells', 'leukemic cells': a lineage word before a cell noun."""
    words = words or Words.of(doc)
    lower, text = words.lower, words.text
    for i in range(1, len(lower)):
        if lower[i] in rules.cell_nouns and lower[i - 1] in rules.cell_lineage_words:
            grounding = lexicon.lookup(f"{text[i - 1]} {text[i]}")
            concept = grounding.concept_id if grounding else ""
            yield Candidate(i - 1, i + 1, Label.CELL_TYPE.value, concept)


def antibody_candidates(
    doc: Doc, rules: EntityRules, lexicon: Lexicon, words: Words | None = None
) -> Iterator[Candidate]:
    """'anti-CD3', 'anti-IL-2': an antibody, a protein of its own, left ungrounded."""
    words = words or Words.of(doc)
    lower, text = words.lower, words.text
    prefixes = tuple(rules.antibody_prefixes)
    for i, lowered in enumerate(lower):
        if not lowered.startswith(prefixes):
            continue
        for prefix in prefixes:
            glued = lowered.startswith(prefix + "-")
            if glued and lexicon.lookup(text[i][len(prefix) + 1 :]):
                yield Candidate(i, i + 1, Label.PROTEIN.value, "")
            split = lowered == prefix and i + 2 < len(text) and text[i + 1] == "-"
            if split and lexicon.lookup(text[i + 2]):
                yield Candidate(i, i + 3, Label.PROTEIN.value, "")


def code_cell_line_candidates(
    doc: Doc, rules: EntityRules, codes: dict[str, Grounding], words: Words | None = None
) -> Iterator[Candidate]:
    """'UT-7 cells', 'IM-9 lymphocytes': a Cellosaurus code, trusted only before cell words."""
    heads = {
        span.start: span.end
        for span in doc.spans.get(LEXICON_SPANS, [])
        if span.label_ == Label.CELL_TYPE
    }
    lower = (words or Words.of(doc)).lower
    heads.update({i: i + 1 for i, word in enumerate(lower) if word in rules.cell_nouns})
    for head_start, head_end in sorted(heads.items()):
        for width in (1, 2, 3):
            first = head_start - width
            if first < 0:
                break
            grounding = codes.get(normalize_key(doc[first:head_start].text))
            if grounding:
                yield Candidate(first, head_end, Label.CELL_LINE.value, grounding.concept_id)
                break


# ---------------------------------------------------------------------------------------------
# Rewrites of chosen candidates


def extend_cells(
    doc: Doc, chosen: list[Candidate], rules: EntityRules, lexicon: Lexicon
) -> list[Candidate]:
    """Keep modifiers and surface markers in cell-type mentions ('activated CD4+ T cells').

    A marker that the lexicon matched as a protein ('CD4' in 'CD4+ T cells') is absorbed.
    """
    by_end = {c.end: c for c in chosen}
    absorbed: set[Candidate] = set()
    extended = []
    for candidate in chosen:
        if candidate.label != Label.CELL_TYPE:
            extended.append(candidate)
            continue
        start = candidate.start
        while start > 0:
            previous = doc[start - 1]
            before = by_end.get(start)
            if (
                before is not None
                and before.start == start - 1
                and (
                    rules.is_marker(previous.text)
                    or _is_species_modifier(before, previous.lower_, rules)
                )
            ):
                absorbed.add(before)
            elif (
                before is not None
                or _ends_hyphen_compound(doc, start - 1)
                or (
                    previous.lower_ not in rules.cell_modifiers
                    and not rules.is_marker(previous.text)
                )
                or _is_verb_of_previous_mention(previous.lower_, start - 1, by_end)
            ):
                break
            start -= 1
        while start < candidate.start and doc[start].text in "+-":
            start += 1  # a sign belongs to the marker before it, never starts a mention
        concept = candidate.concept_id
        if start < candidate.start:  # the phrase may be a term of its own
            whole = lexicon.lookup(doc[start : candidate.end].text)
            if whole is not None and whole.label == candidate.label:
                concept = whole.concept_id  # "mature T lymphocytes" is its own CL term
        extended.append(replace(candidate, start=start, concept_id=concept))
    return [c for c in extended if c not in absorbed]


def cell_compounds(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    """A cell name inside a larger word or name is not a cell-type mention.

    'B-cell-specific', 'NK cell-mediated' (a compound adjective), 'T-cell leukemia' (a
    disease), 'T-cell protein' and 'erythroid cell transcription factor' (a protein).
    """
    by_start = {c.start: c for c in chosen}
    merged: set[Candidate] = set()
    result = []
    for candidate in chosen:
        end = candidate.end
        if candidate in merged:
            continue
        if candidate.label != Label.CELL_TYPE or end >= len(doc):
            result.append(candidate)
            continue
        last, following = doc[end - 1], doc[end]
        if following.text == "-" and not last.whitespace_:
            continue  # compound adjective: the mention disappears
        disease = by_start.get(end)
        if following.lower_ in rules.malignancy_words and (
            disease is None or disease.label == Label.DISEASE
        ):
            if disease is not None:
                merged.add(disease)
            disease_end = disease.end if disease is not None else end + 1
            result.append(Candidate(candidate.start, disease_end, Label.DISEASE.value, ""))
        elif end in by_start:
            result.append(candidate)
        elif _modifies_another_noun(doc, candidate, rules):
            continue
        elif following.lower_ in rules.protein_heads | {"factor", "antigen"} and (
            last.lower_ not in rules.cell_nouns or last.lower_ == "cell"
        ):
            result.append(Candidate(candidate.start, end + 1, Label.PROTEIN.value, ""))
        else:
            result.append(candidate)
    return result


def _modifies_another_noun(doc: Doc, candidate: Candidate, rules: EntityRules) -> bool:
    """A singular cell name before a noun that is not a cell process ('T cell surface').

    Verbs ('a T cell produces') are told apart by their endings, since there is no tagger.
    """
    last = doc[candidate.end - 1].lower_
    following = doc[candidate.end].text
    if last.endswith("s") or not following.isalpha() or not following.islower():
        return False
    kept = rules.cell_process_nouns | rules.cell_line_nouns | {"and", "or", "but", "nor"}
    if following in kept:
        return False
    return not following.endswith(("ed", "es", "ing", "ly"))


def line_marked_cells(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    """'EBV-transformed B cells', 'transfected Jurkat cells': cells made into a line."""
    result = []
    for candidate in chosen:
        start = candidate.start
        marked = start > 0 and doc[start - 1].lower_ in rules.line_markers
        if candidate.label == Label.CELL_TYPE and marked:
            start -= 1
            if start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
                start -= 2  # "EBV-transformed"
            candidate = Candidate(start, candidate.end, Label.CELL_LINE.value, "")
        result.append(candidate)
    return result


def _is_verb_of_previous_mention(word: str, index: int, by_end: dict[int, Candidate]) -> bool:
    """'IL-2 activated T cells': a participle right after a mention is its verb."""
    return word.endswith("ed") and index in by_end


def _is_species_modifier(candidate: Candidate | None, word: str, rules: EntityRules) -> bool:
    """'human' in 'human T cells': a species word that the cell mention keeps."""
    return (
        candidate is not None and candidate.label == Label.SPECIES and word in rules.cell_modifiers
    )


def _ends_hyphen_compound(doc: Doc, index: int) -> bool:
    """True when the token at `index` is the tail of 'word-word' split by the tokenizer."""
    before = doc[index - 1] if index > 0 else None
    return before is not None and before.text == "-" and not before.whitespace_


def cell_line_phrases(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    """Cell-line phrases: a named line with the cell words after it, or a class of lines.

    'Jurkat T cells', 'U937 cell line': the named line keeps its id and takes in the words.
    'T-cell lymphoma cell lines', 'human monocytic cell line', 'T cell line', 'cell lines':
    an ungrounded CELL_LINE mention, since a class of lines has no Cellosaurus id.
    """
    return _class_of_lines(doc, _line_after_name(doc, chosen, rules), rules)


def _line_after_name(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    by_start = {c.start: c for c in chosen}
    swallowed: set[Candidate] = set()
    result = []
    for candidate in chosen:
        if candidate in swallowed:
            continue
        if candidate.label != Label.CELL_LINE or not candidate.concept_id:
            result.append(candidate)
            continue
        end = candidate.end
        following = by_start.get(end)
        if following is not None and following.label == Label.CELL_TYPE:
            if doc[following.end - 1].lower_ in rules.cell_nouns:
                swallowed.add(following)
                end = following.end
        elif end < len(doc) and doc[end].lower_ in rules.cell_nouns:
            end += 1
        if end < len(doc) and doc[end].lower_ in rules.cell_line_nouns and end > candidate.end:
            end += 1
        result.append(replace(candidate, end=end))
    return result


def _class_of_lines(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    ends = {c.end: c for c in chosen}
    covered = {i for c in chosen for i in range(c.start, c.end)}
    leading_words = rules.cell_lineage_words | rules.cell_modifiers
    removed: set[Candidate] = set()
    new: list[Candidate] = []
    for token in doc:
        if token.lower_ not in rules.cell_line_nouns or token.i in covered:
            continue
        start = token.i
        named = ends.get(start)
        if named is None or named.label != Label.CELL_TYPE:
            if start == 0 or doc[start - 1].lower_ not in rules.cell_nouns or start - 1 in covered:
                continue  # "line" with neither "cell" nor a cell-type name before it
            start -= 1
        while start > 0:
            before = ends.get(start)
            species_word = _is_species_modifier(before, doc[start - 1].lower_, rules)
            if before is not None and (
                before.label in (Label.CELL_TYPE, Label.DISEASE) or species_word
            ):
                start = before.start
            elif start - 1 not in covered and doc[start - 1].lower_ in leading_words:
                start -= 1
            else:
                break
        removed.update(c for c in chosen if start <= c.start and c.end <= token.i + 1)
        new.append(Candidate(start, token.i + 1, Label.CELL_LINE.value, ""))
    return [c for c in chosen if c not in removed] + new


def protein_heads(
    doc: Doc, chosen: list[Candidate], rules: EntityRules, lexicon: Lexicon
) -> list[Candidate]:
    """'IL-2 receptor', 'STAT proteins': a protein named after another is its own mention."""
    starts = {c.start for c in chosen}
    result = []
    for candidate in chosen:
        end = candidate.end
        names_a_protein = candidate.label in PROTEIN_LABELS and end not in starts
        if names_a_protein and end < len(doc) and doc[end].lower_ in rules.protein_heads:
            whole = lexicon.lookup(doc[candidate.start : end + 1].text)
            concept = whole.concept_id if whole and whole.label in PROTEIN_LABELS else ""
            result.append(Candidate(candidate.start, end + 1, Label.PROTEIN.value, concept))
            continue
        result.append(candidate)
    return result


def abbreviation_candidates(doc: Doc, chosen: list[Candidate]) -> Iterator[Candidate]:
    """Short forms found by scispaCy take the label and concept of their long form.

    The long form must be the mention itself (give or take one leading word), so 'T cell
    receptor (TCR)' does not make TCR a cell type because 'T cell' is one.
    """
    if not Doc.has_extension("abbreviations"):
        return
    for short in doc._.abbreviations:
        if not any(char.isalnum() for char in short.text):
            continue  # the detector occasionally offers punctuation as a short form
        long_form = short._.long_form
        for candidate in chosen:
            covers = candidate.start <= long_form.start and long_form.end <= candidate.end
            same_head = candidate.end == long_form.end and candidate.start - long_form.start <= 1
            if covers or same_head:
                yield Candidate(short.start, short.end, candidate.label, candidate.concept_id)
                break


def plausible_short_form(short: str, long: str) -> bool:
    """Whether `short` can abbreviate `long` (after Schwartz and Hearst, PSB 2003).

    Its first letter or digit starts the long form and its letters occur there in order.

    >>> plausible_short_form("1,25D3", "1,25-dihydroxyvitamin D(3)")
    True
    >>> plausible_short_form("IFN", "interleukin")
    False
    """
    letters = [c.lower() for c in short if c.isalnum()]
    if not 2 <= len(short) <= 12 or not any(c.isalpha() for c in short) or not letters:
        return False
    words = long.lower()
    if not words or letters[0] != next((c for c in words if c.isalnum()), ""):
        return False
    position = 0
    for letter in letters:
        position = words.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def defined_short_form_candidates(
    doc: Doc, chosen: list[Candidate], words: Words | None = None
) -> Iterator[Candidate]:
    """Short forms in parentheses right after a mention that scispaCy's detector missed.

    '... D(3) (1,25D3)': each use of the short form in the document takes the mention's label
    and concept.
    """
    ends = {c.end: c for c in chosen}
    covered = {i for c in chosen for i in range(c.start, c.end)}
    text = (words or Words.of(doc)).text
    for paren in range(len(text) - 2):
        long_form = ends.get(paren)
        if text[paren] != "(" or text[paren + 2] != ")" or long_form is None:
            continue
        short = text[paren + 1]
        if paren + 1 in covered or not plausible_short_form(
            short, doc[long_form.start : long_form.end].text
        ):
            continue
        for use, word in enumerate(text):
            if word == short and use not in covered:
                yield Candidate(use, use + 1, long_form.label, long_form.concept_id)


def ground_fuzzily(doc: Doc, chosen: list[Candidate], lexicon: Lexicon) -> list[Candidate]:
    """Ground what no exact synonym reached ('myeloid progenitor cells') by close spelling."""
    result = []
    for candidate in chosen:
        if not candidate.concept_id and candidate.label in FUZZY_LABELS:
            grounding = lexicon.fuzzy_lookup(
                doc[candidate.start : candidate.end].text, candidate.label
            )
            if grounding is not None:
                candidate = replace(candidate, concept_id=grounding.concept_id)
        result.append(candidate)
    return result


class EntityResolver:
    """Turn lexicon matches and abbreviations into `doc.ents`, grounded through `kb_id_`."""

    def __init__(self, lexicon: Lexicon, rules: EntityRules, codes: dict[str, Grounding]) -> None:
        self.lexicon = lexicon
        self.rules = rules
        self.codes = codes

    def __call__(self, doc: Doc) -> Doc:
        """Resolve overlapping candidates and set the entities."""
        lexicon, rules = self.lexicon, self.rules
        words = Words.of(doc)
        chosen = choose(
            [
                *ruler_candidates(doc),
                *embedded_abbreviation_candidates(doc, lexicon, words),
                *parenthesised_abbreviation_candidates(doc, lexicon, words),
                *lineage_cell_candidates(doc, rules, lexicon, words),
                *antibody_candidates(doc, rules, lexicon, words),
                *code_cell_line_candidates(doc, rules, self.codes, words),
            ]
        )
        chosen = extend_cells(doc, chosen, rules, lexicon)
        chosen = cell_compounds(doc, chosen, rules)
        chosen = choose(line_marked_cells(doc, chosen, rules))
        chosen = choose(cell_line_phrases(doc, chosen, rules))
        chosen = protein_heads(doc, chosen, rules, lexicon)
        chosen = choose([*chosen, *abbreviation_candidates(doc, chosen)])
        chosen = choose([*chosen, *defined_short_form_candidates(doc, chosen, words)])
        chosen = ground_fuzzily(doc, chosen, lexicon)
        spans = []
        grounded_starts = {c.start for c in chosen if c.concept_id}
        for candidate in chosen:
            span = Span(doc, candidate.start, candidate.end, label=candidate.label,
                        kb_id=candidate.concept_id)  # fmt: skip
            name = lexicon.names.get(candidate.concept_id)
            if name is not None:  # None is the default: a write would cost an entry per span
                span._.concept_name = name
            if not candidate.concept_id and (
                rules.is_singular_class(span.text) or candidate.end in grounded_starts
            ):
                # "the cytokines IL-1 beta, IL-8 and TNF-alpha": the class names the list
                span._.describes_other = True
            spans.append(span)
        doc.ents = filter_spans(spans)
        return doc


@Language.factory(ENTITY_COMPONENT)
def make_entity_resolver(nlp: Language, name: str) -> EntityResolver:
    """Factory for the entity resolver with the shipped lexicon and span rules."""
    return EntityResolver(default_lexicon(), default_entity_rules(), default_code_table())
