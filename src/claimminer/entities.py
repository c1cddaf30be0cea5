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
from collections.abc import Iterator
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from claimminer.cell_phrases import (
    cell_compounds,
    cell_line_phrases,
    disease_cells,
    extend_cells,
    line_marked_cells,
)
from claimminer.entity_rules import (
    PROTEIN_LABELS,
    Candidate,
    EntityRules,
    choose,
    default_entity_rules,
)
from claimminer.lexicon import (
    Lexicon,
    default_code_table,
    default_lexicon,
    normalize_key,
)
from claimminer.matching import LEXICON_SPANS, Words
from claimminer.model import Label

ENTITY_COMPONENT = "claimminer_entities"
# "Interleukin (IL)-2" and "interferon (IFN)-gamma": an abbreviation inside the name.
EMBEDDED_ABBREVIATION = re.compile(r"^\(([A-Za-z]{1,8})\)-?([A-Za-z0-9α-ωΑ-Ω]{1,8})$")
# Labels whose ungrounded mentions may be grounded by close spelling; protein classes and
# classes of cell lines stay ungrounded on purpose.
FUZZY_LABELS = frozenset({Label.CELL_TYPE.value, Label.DISEASE.value})
if not Span.has_extension("concept_name"):
    Span.set_extension("concept_name", default=None)
# A singular class noun ("the major interleukin", "a lymphokine"), or an ungrounded name right
# before a grounded one ("the cytokines IL-1 beta and IL-8", "the kinase Itk"), describes
# another mention; it stays an entity, as GENIA annotates it, but never stands as a claim
# argument.
if not Span.has_extension("describes_other"):
    Span.set_extension("describes_other", default=False)


# ---------------------------------------------------------------------------------------------
# Proposals


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
    """'natural killer (NK) cells': a name whose head follows its own abbreviation.

    The bracketed word must be able to abbreviate the words before it: in "myeloid (U937)
    cells" it names a cell line, not "myeloid".
    """
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
            if not plausible_short_form(text[paren + 1], " ".join(text[first:paren])):
                continue
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
    doc: Doc, rules: EntityRules, codes: dict[str, str], words: Words | None = None
) -> Iterator[Candidate]:
    """'UT-7 cells', 'IM-9 lymphocytes': a Cellosaurus code, trusted only before cell words.

    The words before a head are looked up joined, and only where the text writes them
    without a space: a code never has one, and "phase 1 and 2 neutrophil" is not "AND-2".
    """
    heads = {
        span.start: span.end
        for span in doc.spans.get(LEXICON_SPANS, [])
        if span.label_ == Label.CELL_TYPE
    }
    words = words or Words.of(doc)
    heads.update({i: i + 1 for i, word in enumerate(words.lower) if word in rules.cell_nouns})
    for head_start, head_end in sorted(heads.items()):
        for width in (1, 2, 3):
            first = head_start - width
            if first < 0 or (width > 1 and doc[first].whitespace_):
                break
            concept_id = codes.get(normalize_key("".join(words.text[first:head_start])))
            if concept_id:
                yield Candidate(first, head_end, Label.CELL_LINE.value, concept_id)
                break


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
        if short.text.lower() == long_form.text.lower():
            continue  # "Th2 cells (but not Th1 cells)" made "cells" stand for "cells"
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

    def __init__(self, lexicon: Lexicon, rules: EntityRules, codes: dict[str, str]) -> None:
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
        chosen = disease_cells(doc, cell_compounds(doc, chosen, rules), rules)
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
