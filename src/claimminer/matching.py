"""The lexicon matcher: every synonym found in a Doc, as spans in `doc.spans["cm_lexicon"]`.

spaCy's SpanRuler runs the pipeline over each of the ~240,000 synonym variants at start-up and
adds them one by one, which takes some 15 seconds. Here each variant is tokenized once with
the pipeline's own tokenizer, the token sequences go into two dictionaries (exact and
lower-cased), and the result is cached on disk (claimminer.cache) under a key made of the
lexicon's content and the tokenizer's rules, so later start-ups load it in about a second.
Case-insensitive matching also reads British spellings as American ones ("oestrogen",
"leukaemia", "tumour").
Matching looks up, at each token, only the lengths of synonyms that start with that token.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from claimminer.cache import digest, load_or_build
from claimminer.lexicon import american_spelling

LEXICON_SPANS = "cm_lexicon"
Entry = tuple[str, str]  # (label, concept id or "")
Patterns = list[dict[str, str]]


@dataclass
class PhraseTable:
    """Token sequences of synonyms, with the first-token index that keeps lookups short."""

    entries: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    lengths: dict[str, set[int]] = field(default_factory=dict)

    def add(self, tokens: tuple[str, ...], entry: Entry) -> None:
        """Register one token sequence for a (label, concept) pair."""
        found = self.entries.setdefault(tokens, [])
        if entry not in found:
            found.append(entry)
        self.lengths.setdefault(tokens[0], set()).add(len(tokens))

    def find(self, words: Sequence[str]) -> Iterator[tuple[int, int, Entry]]:
        """(start, end, entry) for every table sequence found in `words`."""
        for start, word in enumerate(words):
            for length in self.lengths.get(word, ()):
                if start + length > len(words):
                    continue  # a slice past the end is shorter and could match a shorter name
                for entry in self.entries.get(tuple(words[start : start + length]), ()):
                    yield start, start + length, entry


@dataclass
class PhraseTables:
    """Case-sensitive and case-insensitive tables built from span-ruler style patterns."""

    exact: PhraseTable = field(default_factory=PhraseTable)
    folded: PhraseTable = field(default_factory=PhraseTable)


def tokenizer_fingerprint(nlp: Language) -> str:
    """A digest of the tokenizer's rules: a different tokenizer needs other token sequences."""
    tokenizer: Any = nlp.tokenizer
    parts = [type(tokenizer).__name__]
    for name in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        function = getattr(tokenizer, name, None)
        parts.append(f"{name}={getattr(getattr(function, '__self__', None), 'pattern', '')}")
    parts.append(repr(sorted(getattr(tokenizer, "rules", None) or {})))
    return digest(parts)


def build_tables(nlp: Language, exact: Patterns, folded: Patterns) -> PhraseTables:
    """Tokenize every pattern with the pipeline's tokenizer and index the token sequences."""
    tables = PhraseTables()
    texts = [pattern["pattern"] for pattern in (*exact, *folded)]
    docs = nlp.tokenizer.pipe(texts)  # type: ignore[union-attr]
    # Words and entries are shared objects: a third fewer to unpickle at start-up.
    shared: dict[Entry, Entry] = {}
    for number, (pattern, doc) in enumerate(zip((*exact, *folded), docs, strict=True)):
        is_exact = number < len(exact)
        words = tuple(
            sys.intern(t.text if is_exact else american_spelling(t.lower_))
            for t in doc
            if not t.is_space
        )
        if words:
            table = tables.exact if is_exact else tables.folded
            entry = (sys.intern(pattern["label"]), sys.intern(pattern.get("id", "")))
            table.add(words, shared.setdefault(entry, entry))
    return tables


def cached_tables(
    nlp: Language, inputs_key: str, patterns: Callable[[], tuple[Patterns, Patterns]]
) -> PhraseTables:
    """Tables for the patterns, from the cache when the inputs and tokenizer are unchanged.

    Args:
        nlp: the pipeline whose tokenizer splits the synonyms.
        inputs_key: a digest of everything the patterns are made from.
        patterns: makes (case-sensitive, case-insensitive) patterns; called on a cache miss.
    """
    key = digest([tokenizer_fingerprint(nlp), inputs_key])
    return load_or_build(
        "lexicon-tables", key, lambda: build_tables(nlp, *patterns()), PhraseTables
    )


@dataclass(frozen=True, slots=True)
class Words:
    """A Doc's token texts and lower-cased texts, read once for the passes over every token.

    Each access to a spaCy token builds a Python object; the lexicon matcher and the entity
    resolver's proposals look at every token of every document.
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


class LexiconMatcher:
    """Add a span for every synonym occurrence; overlaps are resolved downstream."""

    def __init__(self, tables: PhraseTables) -> None:
        self.tables = tables

    def __call__(self, doc: Doc) -> Doc:
        """Set `doc.spans[LEXICON_SPANS]`."""
        spans = []
        words = Words.of(doc)
        for table, sequence in (
            (self.tables.exact, words.text),
            (self.tables.folded, [american_spelling(word) for word in words.lower]),
        ):
            for start, end, (label, concept) in table.find(sequence):
                spans.append(Span(doc, start, end, label=label, span_id=concept))
        doc.spans[LEXICON_SPANS] = spans
        return doc
