"""The shipped tagger and dependency parser, run on the sentences that can hold a claim.

claimminer trains its own parsers (see `claimminer.training`) and ships two: the default one
in the joint pipeline (`claimminer/models/joint`), which reads the encoding the recogniser
made of each sentence instead of encoding it again, and a wider one with its own encoder
(`claimminer train syntax`, `claimminer/models/syntax`, `--syntax accurate`). At run time the
`claimminer_syntax` component parses only the sentences with two argument mentions and a
trigger word, on the tokens claimminer's tokenizer made (the parser was trained on the same
cuts), before entities are merged: spaCy's `merge_entities` then hangs each mention on the
head of its tokens, so a rule reads a mention as one node of the tree.

A sentence left unparsed keeps its boundaries: its first token is marked a root and the
others carry no head or label (spaCy's "missing" annotation). `doc._.parsed_sentences` holds
the start characters of the sentences that really were parsed; syntax rules read only those.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.pipeline import DependencyParser, Tagger, Tok2Vec
from spacy.tokens import Doc, Span

from claimminer.model import Label
from claimminer.trained import (
    Encoding,
    SentenceEncodings,
    encoder_names,
    load_trained,
    names_except,
    sentence_words,
    shipped_path,
)
from claimminer.treebank_scores import Parse

SYNTAX_COMPONENT = "claimminer_syntax"
SHIPPED_MODEL = "joint"
SHIPPED_ACCURATE_MODEL = "syntax"
ARGUMENT_LABELS = frozenset(label.value for label in Label) - {Label.SPECIES.value}

if not Doc.has_extension("parsed_sentences"):
    # None: no claimminer parse ran (a --model parser, if any, parsed every sentence)
    Doc.set_extension("parsed_sentences", default=None)


def shipped_model_path() -> Path:
    """Where the packaged joint pipeline lies, whose parser is the default one."""
    return shipped_path(SHIPPED_MODEL)


def shipped_accurate_model_path() -> Path:
    """The wider packaged parser of `--syntax accurate`: better parses, twice the time."""
    return shipped_path(SHIPPED_ACCURATE_MODEL)


def load_syntax(path: str | None = None) -> Language:
    """The syntax pipeline at `path`, or the shipped one; loaded once per process.

    Raises:
        ClaimMinerError: no pipeline there, or it lacks a parser.

    """
    location = Path(path) if path is not None else shipped_model_path()
    return load_trained(location, "syntax pipeline", "parser", "train syntax", "--syntax")


# Sentences per parser batch. spaCy's parser precomputes hidden features for every token of
# a batch (tokens x 13 features x 128 hidden x 3 pieces floats): 256 sentences cost about
# 160 MB at the peak, 64 about 40 MB, at nearly the same speed.
PARSE_BATCH = 64


def parse_words(
    syntax: Language,
    sentences: Iterable[tuple[list[str], list[bool]]],
    batch_size: int = PARSE_BATCH,
    encodings: Iterable[Encoding] | None = None,
) -> Iterator[Parse]:
    """Tags, heads (sentence-relative) and labels for sentences given as words and spaces.

    With `encodings` (a joint pipeline's encoder output for each sentence, in order), the
    encoder is not run again. A joint pipeline's entity recogniser never runs here.
    """
    docs: Iterable[Doc] = (
        Doc(syntax.vocab, words=words, spaces=spaces) for words, spaces in sentences
    )
    disabled = names_except(syntax, (Tok2Vec, Tagger, DependencyParser))
    if encodings is not None:
        docs = _with_tensors(docs, encodings)
        disabled += encoder_names(syntax)
    for doc in syntax.pipe(docs, batch_size=batch_size, disable=disabled):
        yield Parse(
            tags=tuple(t.tag_ for t in doc),
            heads=tuple(t.head.i for t in doc),
            deps=tuple(t.dep_ for t in doc),
        )


def _with_tensors(docs: Iterable[Doc], tensors: Iterable[Encoding]) -> Iterator[Doc]:
    for doc, tensor in zip(docs, tensors, strict=True):
        doc.tensor = tensor
        yield doc


def may_hold_a_claim(sentence: Span, any_trigger: re.Pattern[str]) -> bool:
    """Two argument mentions and, outside every mention, a word that starts like a trigger."""
    arguments = sum(1 for ent in sentence.ents if ent.label_ in ARGUMENT_LABELS)
    return arguments >= 2 and any(
        not token.ent_type and any_trigger.match(token.lower_) for token in sentence
    )


class SyntaxComponent:
    """Parse the candidate sentences of each Doc with the syntax pipeline; flat-tree the rest."""

    def __init__(self, syntax: Language, selects: Callable[[Span], bool]) -> None:
        self.syntax = syntax
        self.selects = selects

    def __call__(self, doc: Doc) -> Doc:
        """Parse one Doc."""
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Parse a stream of Docs, batching the chosen sentences of several together."""
        stream = iter(docs)
        while batch := list(islice(stream, batch_size)):
            chosen = [[s for s in doc.sents if self.selects(s)] for doc in batch]
            pieces = [sentence_words(doc, s) for doc, s in zip(batch, chosen, strict=True)]
            words = ((p.words, p.spaces) for sentences in pieces for p in sentences)
            encodings = self._encodings(batch, chosen)
            with self.syntax.memory_zone():
                parses = iter(list(parse_words(self.syntax, words, encodings=encodings)))
            for doc, sentences, read in zip(batch, chosen, pieces, strict=True):
                found = [(s, p.indices, next(parses)) for s, p in zip(sentences, read, strict=True)]
                yield write_parses(doc, found)

    def _encodings(self, batch: list[Doc], chosen: list[list[Span]]) -> list[Encoding] | None:
        """The chosen sentences' encoder output, if the recogniser ran this same pipeline.

        Each Doc's `sentence_encodings` are released here, used or not.
        """
        shared: list[SentenceEncodings | None] = [doc._.sentence_encodings for doc in batch]
        for doc in batch:
            doc._.sentence_encodings = None
        if any(e is None or e.pipeline is not self.syntax for e in shared):
            return None
        tensors = [
            e.by_sentence_start.get(s.start)
            for e, sentences in zip(shared, chosen, strict=True)
            if e is not None
            for s in sentences
        ]
        found = [t for t in tensors if t is not None]
        return found if len(found) == len(tensors) else None


def write_parses(doc: Doc, parses: list[tuple[Span, list[int], Parse]]) -> Doc:
    """Write tags, heads and labels of parsed sentences into the Doc; roots elsewhere."""
    strings = doc.vocab.strings
    tags = numpy.zeros(len(doc), dtype="uint64")
    heads = numpy.zeros(len(doc), dtype="int64")
    deps = numpy.zeros(len(doc), dtype="uint64")
    parsed: set[int] = set()
    for _, indices, parse in parses:
        for position, index in enumerate(indices):
            tags[index] = strings.add(parse.tags[position])
            heads[index] = indices[parse.heads[position]] - index
            deps[index] = strings.add(parse.deps[position])
            parsed.add(index)
    root = strings.add("ROOT")
    for sentence in doc.sents:
        for token in sentence:
            if token.i in parsed:
                continue
            anchor = _anchor(token.i, sentence, parsed)
            heads[token.i] = anchor - token.i
            deps[token.i] = root if anchor == token.i else 0
    array = numpy.stack([tags, heads.view("uint64"), deps], axis=1)
    doc.from_array(["TAG", "HEAD", "DEP"], array)
    doc._.parsed_sentences = frozenset(s.start_char for s, _, _ in parses)
    return doc


def _anchor(index: int, sentence: Span, parsed: set[int]) -> int:
    """Where an unparsed token would hang: the previous parsed token, else the sentence start.

    With no label the head counts as missing; the sentence's first token is its root.
    """
    for previous in range(index - 1, sentence.start - 1, -1):
        if previous in parsed:
            return previous
    return sentence.start


@Language.factory(SYNTAX_COMPONENT, default_config={"model": None, "trigger_pattern": ""})
def make_syntax_component(
    nlp: Language, name: str, model: str | None, trigger_pattern: str
) -> SyntaxComponent:
    """Factory: the shipped (or given) syntax pipeline, choosing sentences by trigger pattern."""
    syntax = load_syntax(model)
    any_trigger = re.compile(trigger_pattern) if trigger_pattern else re.compile(r"(?!)")

    def selects(sentence: Span) -> bool:
        return may_hold_a_claim(sentence, any_trigger)

    return SyntaxComponent(syntax, selects)
