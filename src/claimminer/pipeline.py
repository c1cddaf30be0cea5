"""The spaCy pipeline: tokenizer fixes, lexicon rulers, entity resolution and the claims step.

`build_pipeline()` starts from `spacy.blank("en")` with scispaCy's tokenizer, or from an
installed pipeline given by name or path, and adds the same claimminer components to either.
Components are registered factories, so a saved pipeline can be loaded with `spacy.load`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from claimminer.claims import RuleMatcher, extract_claims
from claimminer.errors import ClaimMinerError
from claimminer.lexicon import Lexicon, default_lexicon
from claimminer.model import Claim, Document, Label, Mention
from claimminer.rules import Cues, data_path, default_cues, default_rules, load_yaml

LEXICON_SPANS = "cm_lexicon"
ENTITY_COMPONENT = "claimminer_entities"
CLAIMS_COMPONENT = "claimminer_claims"
LINE_BREAKS_COMPONENT = "claimminer_line_breaks"

# A hyphen before a participle or adjective suffix separates a modifier from the name it
# modifies ("IL-2-mediated", "IFN-γ-producing", "Con A-induced"), but not inside words that
# are names themselves ("down-regulated", "T-helper", "1,25-dihydroxyvitamin").
SUFFIX_HYPHEN = (
    r"(?<![Dd]own)(?<![Uu]p)(?<![Cc]o)(?<![Pp]re)(?<![Nn]on)(?<![Ss]elf)(?<![Aa]nti)"
    r"(?<=[A-Za-z0-9α-ωΑ-Ω+)\]])-"
    r"(?=(?:[a-z]{2,}(?:ed|ing)|dependent|independent|deficient|specific|positive|negative"
    r"|responsive|sensitive|resistant|rich|poor|high|low)$)"
)
# A slash between two names lists them ("IL-2/IL-15", "Th1/Th2"); genotypes such as "-/-"
# have no letter or digit on both sides and stay whole.
NAME_SLASH = r"(?<=[A-Za-z0-9α-ωΑ-Ω+])/(?=[A-Za-z0-9α-ωΑ-Ω])"
# Zygosity after a gene name is a token of its own: "IL-10-/-" -> "IL-10", "-/-".
GENOTYPE_SUFFIX = r"(?<=[A-Za-z0-9α-ω])(?:-/-|\+/-|\+/\+|−/−)$"
# "Interleukin (IL)-2" and "interferon (IFN)-gamma": an abbreviation inside the name.
EMBEDDED_ABBREVIATION = re.compile(r"^\(([A-Za-z]{1,8})\)-?([A-Za-z0-9α-ωΑ-Ω]{1,8})$")

if not Span.has_extension("concept_name"):
    Span.set_extension("concept_name", default=None)
if not Token.has_extension("cm_role"):
    Token.set_extension("cm_role", default="")
if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=())


def build_tokenizer(nlp: Language) -> Any:
    """ScispaCy's rule tokenizer with the two splits biomedical names need (see module top)."""
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    with warnings.catch_warnings():
        # scispaCy's character classes trip a harmless "possible set union" FutureWarning.
        warnings.simplefilter("ignore", FutureWarning)
        tokenizer = combined_rule_tokenizer(nlp)
        original = tokenizer.infix_finditer.__self__.pattern
        tokenizer.infix_finditer = re.compile(f"{original}|{SUFFIX_HYPHEN}|{NAME_SLASH}").finditer
        suffixes = tokenizer.suffix_search.__self__.pattern
        tokenizer.suffix_search = re.compile(f"{GENOTYPE_SUFFIX}|{suffixes}").search
    return tokenizer


@dataclass(frozen=True, slots=True)
class EntityRules:
    """Span rules from `data/entities.yaml`."""

    cell_modifiers: frozenset[str]
    cell_markers: tuple[re.Pattern[str], ...]
    cell_line_heads: tuple[tuple[str, ...], ...]


@cache
def default_entity_rules() -> EntityRules:
    """Load and check `data/entities.yaml` once."""
    path = data_path("entities.yaml")
    data = load_yaml(path)
    keys = {"cell_modifiers", "cell_markers", "cell_line_heads"}
    if not isinstance(data, dict) or set(data) != keys:
        raise ClaimMinerError(f"{path}: needs exactly the keys {sorted(keys)}")
    return EntityRules(
        cell_modifiers=frozenset(w.lower() for w in data["cell_modifiers"]),
        cell_markers=tuple(re.compile(p) for p in data["cell_markers"]),
        cell_line_heads=tuple(tuple(h) for h in data["cell_line_heads"]),
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible entity: token span, label and concept (empty when ungrounded)."""

    start: int
    end: int
    label: str
    concept_id: str


def _ruler_candidates(doc: Doc) -> Iterator[Candidate]:
    for span in doc.spans.get(LEXICON_SPANS, []):
        yield Candidate(span.start, span.end, span.label_, span.id_)


def _embedded_abbreviation_candidates(doc: Doc, lexicon: Lexicon) -> Iterator[Candidate]:
    """'Interleukin (IL)-2': the long head, then '(SHORT)-suffix' in one token."""
    for token in doc[1:]:
        match = EMBEDDED_ABBREVIATION.match(token.text)
        if not match:
            continue
        short, suffix = match.groups()
        head = doc[token.i - 1].text
        for name in (f"{head}-{suffix}", f"{short}-{suffix}"):
            grounding = lexicon.lookup(name)
            if grounding:
                yield Candidate(token.i - 1, token.i + 1, grounding.label, grounding.concept_id)
                break


def _parenthesised_abbreviation_candidates(doc: Doc, lexicon: Lexicon) -> Iterator[Candidate]:
    """'natural killer (NK) cells': a name whose head follows its own abbreviation."""
    for open_paren in doc[1:-3]:
        if open_paren.text != "(" or doc[open_paren.i + 2].text != ")":
            continue
        head = doc[open_paren.i + 3]
        for width in range(1, 5):
            first = open_paren.i - width
            if first < 0:
                break
            words = [t.text for t in doc[first : open_paren.i]] + [head.text]
            grounding = lexicon.lookup(" ".join(words))
            if grounding:
                yield Candidate(first, head.i + 1, grounding.label, grounding.concept_id)
                break


def _choose(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Longest non-overlapping candidates; on equal length the grounded, then the first."""
    ordered = sorted(
        set(candidates), key=lambda c: (-(c.end - c.start), not c.concept_id, c.start, c.label)
    )
    taken: set[int] = set()
    chosen = []
    for candidate in ordered:
        positions = range(candidate.start, candidate.end)
        if taken.isdisjoint(positions):
            chosen.append(candidate)
            taken.update(positions)
    return sorted(chosen, key=lambda c: c.start)


def _extend_cells(
    doc: Doc, chosen: list[Candidate], rules: EntityRules, lexicon: Lexicon
) -> list[Candidate]:
    """Keep modifiers and surface markers in cell-type mentions ('activated CD4+ T cells')."""
    taken = {i for c in chosen for i in range(c.start, c.end)}
    extended = []
    for candidate in chosen:
        start = candidate.start
        if candidate.label == Label.CELL_TYPE:
            while start > 0 and start - 1 not in taken:
                previous = doc[start - 1]
                is_marker = any(p.match(previous.text) for p in rules.cell_markers)
                if previous.lower_ not in rules.cell_modifiers and not is_marker:
                    break
                if is_marker and previous.text in "+-" and start - 2 < 0:
                    break
                if _ends_hyphen_compound(doc, start - 1):
                    break  # "antigen-activated T cells": the compound is not a plain modifier
                start -= 1
            while start < candidate.start and doc[start].text in "+-":
                start += 1  # a sign belongs to the marker before it, never starts a mention
        concept = candidate.concept_id
        if start < candidate.start:
            whole = lexicon.lookup(doc[start : candidate.end].text)
            if whole is not None and whole.label == candidate.label:
                concept = whole.concept_id  # "mature T lymphocytes" is its own CL term
        extended.append(Candidate(start, candidate.end, candidate.label, concept))
    return extended


def _ends_hyphen_compound(doc: Doc, index: int) -> bool:
    """True when the token at `index` is the tail of 'word-word' split by the tokenizer."""
    before = doc[index - 1] if index > 0 else None
    return before is not None and before.text == "-" and not before.whitespace_


def _cell_line_candidates(doc: Doc, chosen: list[Candidate], rules: EntityRules) -> list[Candidate]:
    """'T-cell lymphoma cell lines': cell-type or disease names followed by 'cell line(s)'.

    The names before the head may be several adjacent mentions ('T-cell' + 'lymphoma'); they
    become one ungrounded CELL_LINE mention, since a class of lines has no Cellosaurus id.
    """
    sources = (Label.CELL_TYPE, Label.DISEASE)
    result: list[Candidate] = []
    for candidate in chosen:
        words = tuple(t.lower_ for t in doc[candidate.end : candidate.end + 2])
        if candidate.label not in sources or words not in rules.cell_line_heads:
            result.append(candidate)
            continue
        start = candidate.start
        while result and result[-1].end == start and result[-1].label in sources:
            start = result.pop().start
        result.append(Candidate(start, candidate.end + 2, Label.CELL_LINE.value, ""))
    return result


def _abbreviation_candidates(doc: Doc, chosen: list[Candidate]) -> Iterator[Candidate]:
    """Short forms found by scispaCy take the label and concept of their long form."""
    if not Doc.has_extension("abbreviations"):
        return
    for short in doc._.abbreviations:
        if not any(char.isalnum() for char in short.text):
            continue  # the detector occasionally offers punctuation as a short form
        long_form = short._.long_form
        for candidate in chosen:
            inside = long_form.start <= candidate.start and candidate.end <= long_form.end
            covers = candidate.start <= long_form.start and long_form.end <= candidate.end
            if inside or covers:
                yield Candidate(short.start, short.end, candidate.label, candidate.concept_id)
                break


class EntityResolver:
    """Turn lexicon matches and abbreviations into `doc.ents`, grounded through `kb_id_`."""

    def __init__(self, lexicon: Lexicon, rules: EntityRules) -> None:
        self.lexicon = lexicon
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        """Resolve overlapping candidates and set the entities."""
        candidates = [
            *_ruler_candidates(doc),
            *_embedded_abbreviation_candidates(doc, self.lexicon),
            *_parenthesised_abbreviation_candidates(doc, self.lexicon),
        ]
        chosen = _choose(candidates)
        chosen = _cell_line_candidates(doc, chosen, self.rules)
        chosen = _extend_cells(doc, chosen, self.rules, self.lexicon)
        chosen = _choose([*chosen, *_abbreviation_candidates(doc, chosen)])
        spans = []
        for candidate in chosen:
            span = Span(
                doc,
                candidate.start,
                candidate.end,
                label=candidate.label,
                kb_id=candidate.concept_id,
            )
            span._.concept_name = self.lexicon.names.get(candidate.concept_id)
            spans.append(span)
        doc.ents = filter_spans(spans)
        return doc


@Language.factory(ENTITY_COMPONENT)
def make_entity_resolver(nlp: Language, name: str) -> EntityResolver:
    """Factory for the entity resolver with the shipped lexicon and span rules."""
    return EntityResolver(default_lexicon(), default_entity_rules())


def mark_line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: titles and list items carry no final full stop."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


Language.component(LINE_BREAKS_COMPONENT, func=mark_line_breaks)


class ClaimsComponent:
    """Read claims from a document whose entities are merged into single tokens."""

    def __init__(self, rule_matcher: RuleMatcher, cues: Cues) -> None:
        self.rule_matcher = rule_matcher
        self.cues = cues

    def __call__(self, doc: Doc) -> Doc:
        """Set `doc._.claims` to the claims found in the document."""
        doc._.claims = tuple(extract_claims(doc, self.rule_matcher, self.cues))
        return doc


@Language.factory(CLAIMS_COMPONENT)
def make_claims_component(nlp: Language, name: str) -> ClaimsComponent:
    """Factory for the claims component with the shipped rules and cues."""
    return ClaimsComponent(RuleMatcher(default_rules(), nlp.vocab), default_cues())


def _add_rulers(nlp: Language, lexicon: Lexicon) -> None:
    exact, folded = lexicon.patterns()
    for name, attr, patterns in (
        ("lexicon_exact", "ORTH", exact),
        ("lexicon_folded", "LOWER", folded),
    ):
        ruler = nlp.add_pipe(
            "span_ruler",
            name=name,
            config={"spans_key": LEXICON_SPANS, "phrase_matcher_attr": attr, "overwrite": False},
        )
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]


def build_pipeline(model: str | None = None) -> Language:
    """The claimminer pipeline on a blank English model, or on an installed spaCy pipeline.

    Args:
        model: name or path of an installed spaCy pipeline; None for the blank default. A
            pipeline with a parser or sentence recogniser keeps its own sentence boundaries.

    Raises:
        ClaimMinerError: the model cannot be loaded.

    """
    if model is None:
        nlp = spacy.blank("en")
        nlp.tokenizer = build_tokenizer(nlp)
    else:
        try:
            nlp = spacy.load(model, exclude=["ner"])
        except OSError as error:
            raise ClaimMinerError(f"cannot load spaCy pipeline {model!r}: {error}") from error
    segmenters = [name for name in ("parser", "senter") if name in nlp.pipe_names]
    if segmenters:
        nlp.add_pipe(LINE_BREAKS_COMPONENT, before=segmenters[0])
    else:
        if "sentencizer" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
        nlp.add_pipe(LINE_BREAKS_COMPONENT, after="sentencizer")
    _add_rulers(nlp, default_lexicon())
    import scispacy.abbreviation  # noqa: F401 - registers the abbreviation_detector factory

    # The detector's document-wide matcher is empty until it sees an abbreviation and says
    # so (W036) on every document; the message is about its internals, not the input.
    warnings.filterwarnings("ignore", message=r"\[W036\] The component 'matcher'")
    nlp.add_pipe("abbreviation_detector")
    nlp.add_pipe(ENTITY_COMPONENT)
    nlp.add_pipe("merge_entities")
    nlp.add_pipe(CLAIMS_COMPONENT)
    return nlp


def doc_to_document(doc: Doc, doc_id: str) -> Document:
    """The processed Doc as a value: entities `E1..` in text order, claims `C1..`."""
    mentions = tuple(
        Mention(
            id=f"E{number}",
            start=ent.start_char,
            end=ent.end_char,
            text=ent.text,
            label=ent.label_,
            concept_id=ent.kb_id_ or None,
            concept_name=ent._.concept_name,
        )
        for number, ent in enumerate(doc.ents, start=1)
    )
    claims: Sequence[Claim] = doc._.claims
    return Document(id=doc_id, text=doc.text, entities=mentions, claims=tuple(claims))


def process(
    nlp: Language, documents: Iterable[Document], batch_size: int = 64
) -> Iterator[Document]:
    """Run the pipeline over documents, yielding them with entities and claims filled in."""
    pairs = ((document.text, document.id) for document in documents)
    for doc, doc_id in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield doc_to_document(doc, doc_id)
