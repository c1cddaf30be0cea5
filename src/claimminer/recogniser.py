"""The shipped entity recogniser, beside the lexicon: mentions no dictionary lists.

claimminer trains a spaCy NER from JNLPBA and GE11's given proteins and ships two: the
default one in the joint pipeline (`claimminer train joint`, `claimminer/models/joint`),
whose encoder also feeds the parser, and a separate one (`claimminer train entities`,
`claimminer/models/entities`, `--recogniser accurate`). At run time the
`claimminer_recogniser` component runs it over each sentence, on claimminer's tokens, after
the lexicon and the entity resolver, hands a joint pipeline's encoding of each sentence on to
the syntax component (`SentenceEncodings`), and merges what it finds:

- the lexicon stays the authority on what a mention is: a predicted span over a lexicon
  mention of the same kind marks it `both` and keeps its label and concept (claimminer's
  conventions stay: a cell name before a process noun is a cell mention, and the words before
  a protein are the lexicon's closed modifier lists, never the recogniser's);
- for a cell type or cell line the recogniser's boundary wins where both agree on the thing
  (`rebound_cell`: "terminally differentiated plasma cells"), keeping the lexicon's concept;
- a predicted protein, cell type or cell line that overlaps no mention is added with source
  `model`, grounded when the lexicon knows its text (or, for a phrase, its last words: "human
  peripheral blood monocytes" -> "monocytes"), and ungrounded otherwise;
- a predicted span that runs past the end of one mention names a longer thing
  (`lengthen`), and one that starts before an ungrounded class of cell lines names a
  narrower class (`widen_class_of_lines`: "colon carcinoma cell lines"); context words, DNA
  names and marker lists are refused (`Refusals`);
- predicted DNA and RNA spans are dropped (the recogniser learns them so as not to call a
  gene a protein).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from spacy.language import Language
from spacy.pipeline import EntityRecognizer, Tok2Vec
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from claimminer.lexicon import Grounding, Lexicon, default_lexicon
from claimminer.model import Label
from claimminer.rules import Cues, default_cues
from claimminer.trained import (
    Encoding,
    SentenceEncodings,
    SentenceWords,
    load_trained,
    names_except,
    sentence_words,
    shipped_path,
)

RECOGNISER_COMPONENT = "claimminer_recogniser"
SHIPPED_ENTITY_MODEL = "joint"
SHIPPED_ACCURATE_ENTITY_MODEL = "entities"
SOURCE_LEXICON, SOURCE_MODEL, SOURCE_BOTH = "lexicon", "model", "both"
# The recogniser's labels that become mentions, and the lexicon labels each agrees with.
KINDS = {
    Label.PROTEIN.value: frozenset({Label.PROTEIN.value, Label.CYTOKINE.value}),
    Label.CELL_TYPE.value: frozenset({Label.CELL_TYPE.value}),
    Label.CELL_LINE.value: frozenset({Label.CELL_LINE.value}),
}
NER_BATCH = 64
DETERMINERS = frozenset({"a", "an", "the", "its", "their", "this", "these", "that", "those"})

if not Span.has_extension("source"):
    Span.set_extension("source", default=SOURCE_LEXICON)


def shipped_entity_model_path() -> Path:
    """Where the packaged joint pipeline lies, whose recogniser is the default one."""
    return shipped_path(SHIPPED_ENTITY_MODEL)


def shipped_accurate_entity_model_path() -> Path:
    """The separate packaged recogniser of `--recogniser accurate` (its own encoder)."""
    return shipped_path(SHIPPED_ACCURATE_ENTITY_MODEL)


def load_recogniser(path: str | None = None) -> Language:
    """The recogniser at `path`, or the shipped one; loaded once per process.

    Raises:
        ClaimMinerError: no pipeline there, or it has no `ner`.

    """
    location = Path(path) if path is not None else shipped_entity_model_path()
    return load_trained(location, "entity recogniser", "ner", "train entities", "--recogniser")


def recognise(
    recogniser: Language, sentences: Iterable[tuple[list[str], list[bool]]]
) -> Iterator[Doc]:
    """Sentences given as words and spaces, through the encoder and the entity recogniser.

    A joint pipeline's tagger and parser are left for the syntax component.
    """
    docs = (Doc(recogniser.vocab, words=words, spaces=spaces) for words, spaces in sentences)
    disabled = names_except(recogniser, (Tok2Vec, EntityRecognizer))
    yield from recogniser.pipe(docs, batch_size=NER_BATCH, disable=disabled)


def ground(text: str, label: str, lexicon: Lexicon) -> Grounding | None:
    """The lexicon's concept for a predicted mention of this kind, if it has one.

    The whole text first, then its last words ("human peripheral blood monocytes"), so that
    a phrase is grounded by its head.
    """
    words = text.split()
    for start in range(len(words)):
        found = lexicon.lookup(" ".join(words[start:]))
        if found is not None and found.label in KINDS[label]:
            return found
    return None


def lengthen(
    doc: Doc, overlapping: list[Span], start: int, end: int, label: str, lexicon: Lexicon
) -> Span | None:
    """The longer name the recogniser reads where the lexicon matched only its first words.

    A predicted span of the mention's kind that holds exactly that one mention and runs past
    its end names another thing ("IL-2 receptor beta chain", "NF-kappa B p50"): it replaces
    the mention, from the mention's start (words before a name follow the lexicon's closed
    lists of modifiers, claimminer's convention) to the predicted end, grounded again from
    the lexicon if it knows the whole name, and `model`.
    """
    if len(overlapping) != 1:
        return None
    mention = overlapping[0]
    if mention.label_ not in KINDS[label] or not start <= mention.start < mention.end < end:
        return None
    added = doc[mention.end : end]
    last = doc[end - 1]
    if last.is_punct or last.is_stop or any(t.is_space or t.is_bracket for t in added):
        return None
    return model_mention(doc, mention.start, end, label, lexicon)


def widen_class_of_lines(
    doc: Doc, overlapping: list[Span], start: int, end: int, label: str
) -> Span | None:
    """The words before a class of cell lines that the recogniser reads as part of it.

    "colon carcinoma cell lines", "nonhematopoietic cell lines": an ungrounded class of lines
    has no closed list of modifiers (cell types do), so a predicted cell line that ends with
    the mention and starts before it names the class.
    """
    if len(overlapping) != 1 or label != Label.CELL_LINE.value:
        return None
    mention = overlapping[0]
    if (
        mention.label_ != label
        or mention.kb_id_
        or not (start < mention.start and end == mention.end)
    ):
        return None
    added = doc[start : mention.start]
    if any(t.is_punct or t.is_space or t.is_bracket or t.lower_ in DETERMINERS for t in added):
        return None
    span = Span(doc, start, end, label=label)
    span._.source = SOURCE_MODEL
    return span


CELL_KINDS = frozenset({Label.CELL_TYPE.value, Label.CELL_LINE.value})
COORDINATORS = frozenset({"and", "or", ",", "/", "&"})


def rebound_cell(
    doc: Doc,
    overlapping: list[Span],
    start: int,
    end: int,
    label: str,
    lexicon: Lexicon,
    refusals: Refusals,
) -> Span | None:
    """The recogniser's boundary for a cell mention that both read as the same thing.

    Which describing words belong to a cell's name ("terminally differentiated plasma
    cells", "human T lymphoblastic tumor cell line", "monocytic cell line U937") is learned
    from annotated text better than listed. A predicted cell type or line that covers the
    last word of the mention(s) of its label it overlaps takes their place with the predicted
    boundary, keeping the last mention's concept (`both`), unless:

    - it joins a coordination ("H9 and CEM cells", "monocytes/macrophages": each is an
      argument);
    - it adds a genotype word ("wild-type macrophages": the mice's context, not a name);
    - it drops words of a grounded mention that name a narrower concept ("conventional
      dendritic cells" stays whole).

    A species mention inside the predicted span before a cell type or a class of cell lines
    ("human dermal microvessel endothelial cells", "rat lymphocytes", "human monocytic cell
    line") joins the name, as "human" does in the lexicon's own cell modifiers; the organism
    stays readable from the mention's words. A named line keeps its name ("Human" + "Jurkat
    cells"): the species is already the line's.
    """
    if label not in CELL_KINDS:
        return None
    cells = [m for m in overlapping if m.label_ == label]
    if not cells or any(not _describes_cells(m, cells, start) for m in overlapping):
        return None
    head = cells[-1]
    if (start, end) == (head.start, head.end) or not start < head.end <= end:
        return None
    span = doc[start:end]
    if any(t.is_space or t.lower_ in COORDINATORS for t in span) or not _opens_a_name(span[0]):
        return None
    if refusals.names_genotype(doc[start : head.start]) or refusals.names_genotype(
        doc[head.end : end]
    ):
        return None
    if head.kb_id_ and start > head.start:
        found = ground(span.text, label, lexicon)
        if found is None or found.concept_id != head.kb_id_:
            return None
    rebound = Span(doc, start, end, label=head.label_, kb_id=head.kb_id_)
    rebound._.concept_name = head._.concept_name
    rebound._.source = SOURCE_BOTH
    return rebound


def _describes_cells(mention: Span, cells: list[Span], start: int) -> bool:
    """A mention of the cells' label, or a species mention before an unnamed kind of cell."""
    if mention.label_ == cells[0].label_:
        return True
    named_line = cells[-1].label_ == Label.CELL_LINE.value and bool(cells[-1].kb_id_)
    return (
        mention.label_ == Label.SPECIES.value
        and not named_line
        and start <= mention.start < cells[0].start
    )


def _opens_a_name(token: Token) -> bool:
    """A name starts with a word, not a determiner, stop word or punctuation."""
    return not (token.is_stop or token.is_punct or token.lower_ in DETERMINERS)


def model_mention(doc: Doc, start: int, end: int, label: str, lexicon: Lexicon) -> Span:
    """A mention the lexicon did not find, grounded when the lexicon knows its text or head."""
    span = Span(doc, start, end, label=label)
    found = ground(span.text, label, lexicon)
    if found is not None:
        span = Span(doc, start, end, label=found.label, kb_id=found.concept_id)
        span._.concept_name = found.concept_name
    span._.source = SOURCE_MODEL
    return span


@dataclass(frozen=True, slots=True)
class Refusals:
    """What the recogniser may not add, whatever it predicts.

    Words that state a claim's context ("wild-type", "KO", "murine", a strain such as
    "C57BL/6") are never a mention, and
    a name ending in a word for a stretch of DNA ("GATA-1 binding motifs", "the HS-40
    enhancer") is not a protein: both come from the cue file.
    """

    context_words: frozenset[str] = frozenset()
    dna_words: frozenset[str] = frozenset()
    genotype_words: frozenset[str] = frozenset()

    @classmethod
    def from_cues(cls, cues: Cues) -> Refusals:
        """The refusals the shipped cue file implies."""
        phrases = {" ".join(words) for words in cues.wild_type}
        context = (
            *phrases, *cues.loss_of_function, *cues.gain_of_function, *cues.organism_words,
            *cues.strains,
        )  # fmt: skip
        genotype = (*phrases, *cues.loss_of_function, *cues.gain_of_function, *cues.strains)
        return cls(
            frozenset(w.lower() for w in context),
            frozenset(cues.dna_words),
            frozenset(w.lower() for w in genotype),
        )

    def names_genotype(self, words: Span) -> bool:
        """True when `words` hold a genotype word or phrase ("knockout", "wild type")."""
        lowered = [t.lower_ for t in words]
        text = f" {' '.join(lowered)} "
        return any(w in self.genotype_words for w in lowered) or any(
            f" {phrase} " in text for phrase in self.genotype_words if " " in phrase
        )

    def refuse(self, span: Span) -> bool:
        """True when `span` may not become a mention.

        Nor may a span that ends in a stop word, punctuation or a context word ("wild-type
        and", "IL-2 knockout": the mice, not a longer name), or one with no word of two
        letters or digits but stop words: "D- and D+" (diet groups) has the shape of a list
        of markers, not of a name.
        """
        return (
            (span[-1].is_stop and span[-1].is_lower)
            or (span[-1].is_punct and not span[-1].is_bracket)
            or span.text.lower() in self.context_words
            or span[-1].lower_ in self.context_words
            or span[-1].lower_ in self.dna_words
            or not any(sum(c.isalnum() for c in t.text) >= 2 and not t.is_stop for t in span)
        )


def merge_mentions(
    doc: Doc,
    predicted: list[tuple[int, int, str]],
    lexicon: Lexicon,
    refusals: Refusals = Refusals(),
) -> Doc:
    """Merge the recogniser's spans into the lexicon's mentions.

    A span over no mention is added; a span that runs past the end of one mention of its
    kind makes it a longer name (`lengthen`); any other mention it agrees with on the kind
    of thing becomes `both`. Nothing `refusals` refuses is added.
    """
    mentions = list(doc.ents)
    added: list[Span] = []
    changed = False
    for start, end, label in predicted:
        if label not in KINDS:
            continue
        overlapping = [m for m in mentions if m.start < end and start < m.end]
        if overlapping:
            longer = lengthen(doc, overlapping, start, end, label, lexicon) or widen_class_of_lines(
                doc, overlapping, start, end, label
            )
            if longer is None:
                longer = rebound_cell(doc, overlapping, start, end, label, lexicon, refusals)
            if longer is not None and not refusals.refuse(longer):
                mentions[mentions.index(overlapping[0])] = longer
                for replaced in overlapping[1:]:
                    mentions.remove(replaced)
                changed = True
                continue
            for mention in overlapping:
                if mention.label_ in KINDS[label]:
                    mention._.source = SOURCE_BOTH
            continue
        if any(doc[i].is_space for i in range(start, end)) or refusals.refuse(doc[start:end]):
            continue
        added.append(model_mention(doc, start, end, label, lexicon))
    if added or changed:
        doc.ents = filter_spans([*mentions, *added])
        mark_describers(doc)
    return doc


def mark_describers(doc: Doc) -> None:
    """An ungrounded model mention that names the kind of the mention after it describes it.

    Right before it ("the viral protein ZX-17") or, after a determiner, as an apposition ("bind
    a common receptor, IFNAR"): as with the lexicon's class nouns (`entities.py`), it stays
    an entity but is never a claim argument. A list ("p50, p65") has no determiner before it.
    """
    by_start = {ent.start: ent for ent in doc.ents}
    for ent in doc.ents:
        if ent._.source != SOURCE_MODEL or ent.kb_id_:
            continue
        following = by_start.get(ent.end)
        determined = ent.start > 0 and doc[ent.start - 1].lower_ in DETERMINERS
        if following is None and determined and ent.end < len(doc) and doc[ent.end].text == ",":
            following = by_start.get(ent.end + 1)
        if following is not None and following.label_ in KINDS.get(ent.label_, {ent.label_}):
            ent._.describes_other = True


class RecogniserComponent:
    """Run the recogniser over every sentence of each Doc and merge its mentions."""

    def __init__(
        self, recogniser: Language, lexicon: Lexicon, cues: Cues, share_encodings: bool = False
    ) -> None:
        self.recogniser = recogniser
        self.lexicon = lexicon
        self.refusals = Refusals.from_cues(cues)
        self.share_encodings = share_encodings

    def __call__(self, doc: Doc) -> Doc:
        """Recognise in one Doc."""
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Recognise in a stream of Docs, batching the sentences of several together."""
        stream = iter(docs)
        while batch := list(islice(stream, batch_size)):
            pieces = [
                (doc_number, piece)
                for doc_number, doc in enumerate(batch)
                for piece in sentence_words(doc, doc.sents)
                if piece.words
            ]
            words = ((piece.words, piece.spaces) for _, piece in pieces)
            with self.recogniser.memory_zone():
                recognised = list(recognise(self.recogniser, words))
                spans = [[(e.start, e.end, e.label_) for e in d.ents] for d in recognised]
            found: list[list[tuple[int, int, str]]] = [[] for _ in batch]
            for (number, piece), predicted in zip(pieces, spans, strict=True):
                for start, end, label in predicted:
                    first, last = piece.indices[start], piece.indices[end - 1]
                    found[number].append((first, last + 1, label))
            if self.share_encodings:
                self._keep_encodings(batch, pieces, recognised)
            for doc, predicted in zip(batch, found, strict=True):
                yield merge_mentions(doc, predicted, self.lexicon, self.refusals)

    def _keep_encodings(
        self, batch: list[Doc], pieces: list[tuple[int, SentenceWords]], recognised: list[Doc]
    ) -> None:
        """Hand each sentence's encoder output to the syntax component (`SentenceEncodings`)."""
        tensors: list[dict[int, Encoding]] = [{} for _ in batch]
        for (number, piece), sentence in zip(pieces, recognised, strict=True):
            tensors[number][piece.start] = sentence.tensor
        for doc, by_start in zip(batch, tensors, strict=True):
            doc._.sentence_encodings = SentenceEncodings(self.recogniser, by_start)


@Language.factory(RECOGNISER_COMPONENT, default_config={"model": None, "share_encodings": False})
def make_recogniser_component(
    nlp: Language, name: str, model: str | None, share_encodings: bool
) -> RecogniserComponent:
    """Factory: the shipped (or given) recogniser over the shipped lexicon.

    `share_encodings`: the syntax component runs the same joint pipeline and reads its
    encoder output for the sentences it parses.
    """
    return RecogniserComponent(
        load_recogniser(model), default_lexicon(), default_cues(), share_encodings
    )
