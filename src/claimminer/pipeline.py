"""The spaCy pipeline: tokenizer fixes, lexicon rulers, entity resolution and the claims step.

`build_pipeline()` starts from `spacy.blank("en")` with scispaCy's tokenizer, or from an
installed pipeline given by name or path, and adds the same claimminer components to either.
Components are registered factories, so a saved pipeline can be loaded with `spacy.load`.
"""

from __future__ import annotations

import contextlib
import re
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import numpy
import spacy
from spacy.attrs import IS_SPACE, ORTH, SENT_START  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.tokenizer import Tokenizer  # type: ignore[import-not-found]
from spacy.tokens import Doc, Token

from claimminer.abbreviations import add_abbreviation_detector
from claimminer.cache import collector_paused, digest, files_digest
from claimminer.claims import RuleMatcher, extract_claims
from claimminer.claims.syntax_reader import SyntaxReader
from claimminer.entities import ENTITY_COMPONENT
from claimminer.entity_rules import default_entity_rules
from claimminer.errors import ClaimMinerError
from claimminer.lexicon import default_lexicon, default_lexicon_paths
from claimminer.matching import LexiconMatcher, cached_tables
from claimminer.model import Claim, Document, Mention
from claimminer.recogniser import (
    RECOGNISER_COMPONENT,
    shipped_accurate_entity_model_path,
    shipped_entity_model_path,
)
from claimminer.rules import (
    Cues,
    any_trigger_pattern,
    default_calibration,
    default_cues,
    default_rules,
    default_syntax_rules,
    default_triggers,
)
from claimminer.settings import (
    RECOGNISER_ACCURATE,
    RECOGNISER_NONE,
    RECOGNISER_SHIPPED,
    SYNTAX_ACCURATE,
    SYNTAX_NONE,
    SYNTAX_SHIPPED,
)
from claimminer.syntax import SYNTAX_COMPONENT, shipped_accurate_model_path, shipped_model_path

CLAIMS_COMPONENT = "claimminer_claims"
LINE_BREAKS_COMPONENT = "claimminer_line_breaks"
LEXICON_COMPONENT = "claimminer_lexicon"
TOKENIZER_NAME = "claimminer.tokenizer.v1"

# A hyphen before a participle or adjective suffix separates a modifier from the name it
# modifies ("IL-2-mediated", "IFN-γ-producing", "Con A-induced"), but not inside words that
# are names themselves ("down-regulated", "T-helper", "1,25-dihydroxyvitamin").
SUFFIX_HYPHEN = (
    r"(?<![Dd]own)(?<![Uu]p)(?<![Cc]o)(?<![Pp]re)(?<![Nn]on)(?<![Ss]elf)(?<![Aa]nti)"
    r"(?<=[A-Za-z0-9α-ωΑ-Ω+)\]])-"
    r"(?=(?:[a-z]{2,}(?:ed|ing)|driven|dependent|independent|deficient|specific|positive|negative"
    r"|responsive|sensitive|resistant|rich|poor|high|low)$)"
)
# A slash between two names lists them ("IL-2/IL-15", "Th1/Th2"); genotypes such as "-/-"
# have no letter or digit on both sides and stay whole.
NAME_SLASH = r"(?<=[A-Za-z0-9α-ωΑ-Ω+])/(?=[A-Za-z0-9α-ωΑ-Ω])"
# A parenthesised abbreviation glued to a participle keeps its name apart:
# "interleukin-2 (IL-2)-induced" -> "(", "IL-2", ")", "-", "induced".
OPENING_BEFORE_GLUED_CLOSE = r"^\((?=[^()\s]+\)-)"
CLOSING_BEFORE_HYPHEN = r"(?<=[A-Za-z0-9α-ωΑ-Ω])\)(?=-)"
# Two subunits joined by a hyphen name a dimer of both: "p50-p65" -> "p50", "-", "p65".
SUBUNIT_HYPHEN = r"(?<=p\d\d)-(?=p\d\d)"
# A hanging hyphen ("TNF-alpha- and LPS-induced") leaves the name whole.
HANGING_HYPHEN = r"(?<=[A-Za-z0-9α-ωΑ-Ω])-$"
# A full stop after a single capital letter ends the sentence: "activation of NF-kappa B."
SINGLE_LETTER_STOP = r"(?<=^[A-Z])\.$"
# ... and after a name that ends in a capital after small letters: "of NF-kappaB.", "IkappaB."
MIXED_CASE_STOP = r"(?<=[a-z][A-Z])\.$"
# Zygosity after a gene name is a token of its own: "IL-10-/-" -> "IL-10", "-/-".
GENOTYPE_SUFFIX = r"(?<=[A-Za-z0-9α-ω])(?:-/-|\+/-|\+/\+|−/−)$"

if not Token.has_extension("cm_role"):
    Token.set_extension("cm_role", default="")
if not Token.has_extension("cm_opaque"):
    Token.set_extension("cm_opaque", default=False)
if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=())


def build_tokenizer(nlp: Language) -> Tokenizer:
    """ScispaCy's rule tokenizer with the splits biomedical names need (see module top).

    Built once with its final patterns: spaCy re-checks every special case each time a
    pattern of a finished tokenizer is replaced, and each build of a tokenizer checks all of
    English's special cases again, so scispaCy's patterns are taken from a build without them.
    """
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    vocab, defaults = nlp.vocab, type(nlp).Defaults

    class NoSpecialCases(defaults):  # type: ignore[misc, valid-type]
        tokenizer_exceptions: ClassVar[dict[str, Any]] = {}

    patterns_only = SimpleNamespace(
        vocab=vocab,
        Defaults=NoSpecialCases,
        tokenizer=SimpleNamespace(token_match=defaults.token_match),
    )
    with warnings.catch_warnings():
        # scispaCy's character classes trip a harmless "possible set union" FutureWarning.
        warnings.simplefilter("ignore", FutureWarning)
        base = combined_rule_tokenizer(patterns_only)
        infixes = base.infix_finditer.__self__.pattern
        suffixes = base.suffix_search.__self__.pattern
        prefixes = base.prefix_search.__self__.pattern
        return Tokenizer(
            vocab,
            # English's special cases with scispaCy's abbreviations over them, as scispaCy's own
            rules={**defaults.tokenizer_exceptions, **base.rules},
            prefix_search=re.compile(f"{OPENING_BEFORE_GLUED_CLOSE}|{prefixes}").search,
            suffix_search=re.compile(
                f"{GENOTYPE_SUFFIX}|{SINGLE_LETTER_STOP}|{MIXED_CASE_STOP}|{HANGING_HYPHEN}|"
                f"{suffixes}"
            ).search,
            infix_finditer=re.compile(
                f"{infixes}|{SUFFIX_HYPHEN}|{NAME_SLASH}|{CLOSING_BEFORE_HYPHEN}|{SUBUNIT_HYPHEN}"
            ).finditer,
            token_match=base.token_match,
            url_match=base.url_match,
        )


def make_claimminer_tokenizer() -> Callable[[Language], Tokenizer]:
    """The blank pipeline's own tokenizer is claimminer's (English's is never built)."""
    return build_tokenizer


spacy.registry.tokenizers.register(  # type: ignore[attr-defined]
    TOKENIZER_NAME, func=make_claimminer_tokenizer
)


def mark_line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: titles and list items carry no final full stop.

    A genus initial does not: "E. coli", "M. tuberculosis" stay in their sentence. Only
    whitespace tokens and full stops are looked at, found from the Doc's arrays, and the
    boundaries are written back as one array: a Python object per token, or spaCy's
    `is_sent_start` setter (which scans the whole Doc for a parse at every call), cost more
    than the rest of this step.
    """
    if len(doc) < 2:
        return doc
    space, orth, start = doc.to_array([IS_SPACE, ORTH, SENT_START]).T
    marked = start.view(numpy.int64)  # -1 / 0 / 1: not a start, unknown, a start
    starts = marked.copy()
    full_stop = doc.vocab.strings["."]
    for i in numpy.flatnonzero(space[:-1]).tolist():
        if "\n" in doc[i].text:
            starts[i + 1] = 1
    for i in numpy.flatnonzero(orth[:-1] == full_stop).tolist():
        following = doc[i + 1]
        if following.is_lower and following.is_alpha and _ends_a_genus_initial(doc[i]):
            starts[i + 1] = -1
    if not numpy.array_equal(starts, marked):
        doc.from_array([SENT_START], starts.view(numpy.uint64))
    return doc


def _ends_a_genus_initial(token: Token) -> bool:
    """The full stop of "E." in "E. coli": after a lone capital letter."""
    if token.text != "." or token.i == 0:
        return False
    initial = token.nbor(-1)
    return (
        len(initial.text) == 1
        and initial.text.isupper()
        and not initial.whitespace_
        and (initial.i == 0 or bool(initial.nbor(-1).whitespace_))
    )


Language.component(LINE_BREAKS_COMPONENT, func=mark_line_breaks)


class ClaimsComponent:
    """Read claims from a document whose entities are merged into single tokens."""

    def __init__(
        self,
        rule_matcher: RuleMatcher,
        cues: Cues,
        confidence: dict[str, float],
        syntax_reader: SyntaxReader | None = None,
    ) -> None:
        self.rule_matcher = rule_matcher
        self.cues = cues
        self.confidence = confidence
        self.syntax_reader = syntax_reader

    def __call__(self, doc: Doc) -> Doc:
        """Set `doc._.claims` to the claims found in the document."""
        doc._.claims = tuple(
            extract_claims(doc, self.rule_matcher, self.cues, self.confidence, self.syntax_reader)
        )
        return doc


@Language.factory(CLAIMS_COMPONENT, default_config={"syntax": True})
def make_claims_component(nlp: Language, name: str, syntax: bool) -> ClaimsComponent:
    """Factory for the claims component with the shipped rules and cues.

    With `syntax`, the syntax rules read every sentence that carries a parse.
    """
    confidence = {name: p.confidence for name, p in default_calibration().items()}
    matcher = RuleMatcher(default_rules(), nlp.vocab)
    reader = SyntaxReader(default_syntax_rules(), default_triggers()) if syntax else None
    return ClaimsComponent(matcher, default_cues(), confidence, reader)


@Language.factory(LEXICON_COMPONENT)
def make_lexicon_matcher(nlp: Language, name: str) -> LexiconMatcher:
    """Factory for the lexicon matcher over the shipped lexicon and protein class names."""
    rules = default_entity_rules()

    def patterns() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        exact, folded = default_lexicon().patterns()
        return exact, folded + rules.class_patterns()

    inputs = digest([files_digest(default_lexicon_paths()), repr(rules.class_patterns())])
    return LexiconMatcher(cached_tables(nlp, inputs, patterns))


def build_pipeline(
    model: str | None = None,
    syntax: str = SYNTAX_SHIPPED,
    recogniser: str = RECOGNISER_SHIPPED,
    for_process: bool = False,
) -> Language:
    """The claimminer pipeline on a blank English model, or on an installed spaCy pipeline.

    Args:
        model: name or path of an installed spaCy pipeline; None for the blank default. A
            pipeline with a parser or sentence recogniser keeps its own sentence boundaries,
            and its parse is read by the syntax rules on every sentence.
        syntax: "default" for the parser shipped with claimminer, "none" for the surface
            rules alone (faster, fewer claims), or the path of another trained syntax
            pipeline. Ignored when `model` brings its own parser.
        recogniser: "default" for the entity recogniser shipped with claimminer, "none" for
            the lexicon alone, or the path of another trained recogniser.
        for_process: the pipeline serves the rest of the process (a command's run), so its
            objects are frozen out of the garbage collector (`cache.collector_paused`).

    Raises:
        ClaimMinerError: the model or the syntax pipeline cannot be loaded.

    """
    with collector_paused(freeze=for_process):
        return _assemble(model, syntax, recogniser)


def syntax_model_location(syntax: str) -> str | None:
    """The syntax pipeline a `--syntax` value names (None: the shipped default)."""
    if syntax == SYNTAX_ACCURATE:
        return str(shipped_accurate_model_path())
    return None if syntax == SYNTAX_SHIPPED else syntax


def recogniser_model_location(recogniser: str) -> str | None:
    """The recogniser a `--recogniser` value names (None: the shipped default)."""
    if recogniser == RECOGNISER_ACCURATE:
        return str(shipped_accurate_entity_model_path())
    return None if recogniser == RECOGNISER_SHIPPED else recogniser


def same_pipeline(recogniser: str | None, syntax: str | None) -> bool:
    """True when the recogniser and the syntax component load one (joint) pipeline."""
    recogniser_path = Path(recogniser) if recogniser else shipped_entity_model_path()
    syntax_path = Path(syntax) if syntax else shipped_model_path()
    return recogniser_path.resolve() == syntax_path.resolve()


def _assemble(model: str | None, syntax: str, recogniser: str) -> Language:
    """`build_pipeline`'s work: the components in their order."""
    if model is None:
        nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
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
    nlp.add_pipe(LEXICON_COMPONENT)
    # The detector's document-wide matcher is empty until it sees an abbreviation and says
    # so (W036) on every document; the message is about its internals, not the input.
    warnings.filterwarnings("ignore", message=r"\[W036\] The component 'matcher'")
    add_abbreviation_detector(nlp)
    nlp.add_pipe(ENTITY_COMPONENT)
    if recogniser != RECOGNISER_NONE:
        path = recogniser_model_location(recogniser)
        shared = syntax != SYNTAX_NONE and "parser" not in nlp.pipe_names
        shared = shared and same_pipeline(path, syntax_model_location(syntax))
        nlp.add_pipe(RECOGNISER_COMPONENT, config={"model": path, "share_encodings": shared})
    if syntax != SYNTAX_NONE and "parser" not in nlp.pipe_names:
        nlp.add_pipe(
            SYNTAX_COMPONENT,
            config={
                "model": syntax_model_location(syntax),
                "trigger_pattern": any_trigger_pattern(default_triggers()),
            },
        )
    nlp.add_pipe("merge_entities")
    nlp.add_pipe(CLAIMS_COMPONENT, config={"syntax": syntax != SYNTAX_NONE})
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
            source=ent._.source,
        )
        for number, ent in enumerate(doc.ents, start=1)
    )
    claims: Sequence[Claim] = doc._.claims
    return Document(id=doc_id, text=doc.text, entities=mentions, claims=tuple(claims))


MEMORY_ZONE_DOCUMENTS = 1000
# Documents each pipeline reads outside a memory zone, to fill its tokenizer's cache.
WARM_UP_DOCUMENTS = 1000
_documents_outside_zones: weakref.WeakKeyDictionary[Language, int] = weakref.WeakKeyDictionary()


def process(
    nlp: Language, documents: Iterable[Document], batch_size: int = 64
) -> Iterator[Document]:
    """Run the pipeline over documents, yielding them with entities and claims filled in.

    Documents go through in chunks, each inside spaCy's `memory_zone`: the strings a chunk
    adds to the vocabulary are freed when its results (plain Python objects) are out, so
    memory stays flat over a run of millions of abstracts. A pipeline's first
    WARM_UP_DOCUMENTS go through outside one, over all calls: spaCy's tokenizer caches
    nothing inside a memory zone and splits every occurrence of a word anew, so these
    documents' words (a few MB that stay) fill its cache for the rest of the run.
    """
    iterator = iter(documents)
    while chunk := list(islice(iterator, MEMORY_ZONE_DOCUMENTS)):
        warming_up = _documents_outside_zones.get(nlp, 0) < WARM_UP_DOCUMENTS
        with contextlib.nullcontext() if warming_up else nlp.memory_zone():
            # a text over spaCy's max_length goes through in pieces cut at sentence ends
            pieces = [
                (piece, (number, offset))
                for number, document in enumerate(chunk)
                for offset, piece in split_long_text(document.text, nlp.max_length)
            ]
            parts: list[list[tuple[int, Document]]] = [[] for _ in chunk]
            for doc, (number, offset) in nlp.pipe(pieces, as_tuples=True, batch_size=batch_size):
                parts[number].append((offset, doc_to_document(doc, chunk[number].id)))
        if warming_up:
            _documents_outside_zones[nlp] = _documents_outside_zones.get(nlp, 0) + len(chunk)
        yield from (joined(document, found) for document, found in zip(chunk, parts, strict=True))


def split_long_text(text: str, limit: int) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most `limit` characters; one piece when short.

    A piece ends after a sentence end (". ", a line break) when there is one, else at a
    space, else anywhere.
    """
    if len(text) <= limit:
        return [(0, text)]
    pieces, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind(". "), window.rfind("\n"))
        cut = cut + 1 if cut > 0 else window.rfind(" ")
        cut = cut if cut > 0 else limit
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


def joined(document: Document, parts: Sequence[tuple[int, Document]]) -> Document:
    """One document from the results of its pieces: offsets shifted, ids renumbered."""
    if len(parts) == 1 and parts[0][0] == 0:
        return replace(parts[0][1], text=document.text)
    mentions: list[Mention] = []
    claims: list[Claim] = []
    for offset, part in parts:
        renamed = {}
        for mention in part.entities:
            renamed[mention.id] = f"E{len(mentions) + 1}"
            mentions.append(replace(mention, id=renamed[mention.id], start=mention.start + offset,
                                    end=mention.end + offset))  # fmt: skip
        for claim in part.claims:
            claims.append(replace(
                claim, id=f"C{len(claims) + 1}", subject=renamed[claim.subject],
                object=renamed[claim.object], sentence_start=claim.sentence_start + offset,
                sentence_end=claim.sentence_end + offset,
                trigger_start=None if claim.trigger_start is None else claim.trigger_start + offset,
                trigger_end=None if claim.trigger_end is None else claim.trigger_end + offset,
            ))  # fmt: skip
    return Document(document.id, document.text, tuple(mentions), tuple(claims))
