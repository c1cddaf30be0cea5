"""Loading the trained pipelines claimminer ships (`models/syntax`, `models/entities`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy
import numpy.typing
import spacy
from spacy.attrs import IS_SPACE, ORTH, SPACY  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.pipeline import Tok2Vec
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from claimminer.errors import ClaimMinerError


def shipped_path(name: str) -> Path:
    """Where the packaged pipeline `models/NAME` lies (absent in a checkout that never had it)."""
    return Path(str(resources.files("claimminer").joinpath("models", name)))


WORDS_GIVEN_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "claimminer.words_given.v1"}}}


class WordsGivenTokenizer:
    """The tokenizer of a trained pipeline that is given words, never text.

    claimminer hands its trained components Docs built from its own tokens, so their saved
    tokenizers (spaCy's English one with its 1,347 special cases, a third of a second to
    build) are never used. This one splits on whitespace, for a caller who passes text.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        """Whitespace-separated words."""
        return Doc(self.vocab, words=text.split())

    def to_bytes(self, **_: Any) -> bytes:
        """Nothing to save."""
        return b""

    def from_bytes(self, _: bytes, **__: Any) -> WordsGivenTokenizer:
        """Nothing to load."""
        return self

    def to_disk(self, _: Path, **__: Any) -> None:
        """Nothing to save."""

    def from_disk(self, _: Path, **__: Any) -> WordsGivenTokenizer:
        """Nothing to load."""
        return self


def make_words_given_tokenizer() -> Callable[[Language], WordsGivenTokenizer]:
    """Registered so a trained pipeline's config can name it instead of its saved tokenizer."""

    def create(nlp: Language) -> WordsGivenTokenizer:
        return WordsGivenTokenizer(nlp.vocab)

    return create


spacy.registry.tokenizers.register(  # type: ignore[attr-defined]
    "claimminer.words_given.v1", func=make_words_given_tokenizer
)


# One object per folder, so that a joint pipeline serving as both recogniser and parser is
# loaded once and its encoder's output can pass from one to the other.
_LOADED: dict[Path, Language] = {}


def load_trained(location: Path, what: str, needs: str, train: str, option: str) -> Language:
    """The spaCy pipeline at `location`, which must have the component `needs`.

    `what` names it in errors, `train` is the command that makes one and `option` the run
    option that does without it.

    Raises:
        ClaimMinerError: no pipeline there, it cannot be loaded, or it lacks `needs`.

    """
    if not (location / "config.cfg").is_file():
        raise ClaimMinerError(
            f"{location}: no trained {what} (train one with `claimminer {train}`, "
            f"or run with {option} none)"
        )
    key = location.resolve()
    nlp = _LOADED.get(key)
    if nlp is None:
        try:
            nlp = spacy.load(location, exclude=["tokenizer"], config=WORDS_GIVEN_CONFIG)
        except (OSError, ValueError) as error:
            raise ClaimMinerError(f"{location}: cannot load the {what}: {error}") from error
        _LOADED[key] = nlp
    if needs not in nlp.pipe_names:
        raise ClaimMinerError(f"{location}: the pipeline has no {needs}")
    return nlp


def encoder_names(nlp: Language) -> list[str]:
    """The pipeline's encoders: the `tok2vec` components its other components listen to."""
    return [name for name, component in nlp.pipeline if isinstance(component, Tok2Vec)]


def names_except(nlp: Language, kept: tuple[type, ...]) -> list[str]:
    """The pipeline's components that are none of the `kept` kinds (to disable them)."""
    return [name for name, component in nlp.pipeline if not isinstance(component, kept)]


# A sentence's encoder output: one row of floats per token.
Encoding = numpy.typing.NDArray[Any]

if not Doc.has_extension("sentence_encodings"):
    Doc.set_extension("sentence_encodings", default=None)


@dataclass(frozen=True, slots=True)
class SentenceEncodings:
    """The encoder output of a joint pipeline for each sentence of a Doc, to be read again.

    The recogniser runs a joint pipeline's encoder over every sentence; the syntax component,
    given the same pipeline, parses the sentences it chooses from these vectors instead of
    encoding them a second time. Keyed by the sentence's first token; one row per token that
    is not a space.
    """

    pipeline: Language
    by_sentence_start: Mapping[int, Encoding]


@dataclass(frozen=True, slots=True)
class SentenceWords:
    """A sentence as claimminer hands it to a trained component: words, spaces, doc indices.

    Space tokens are left out (the corpora the models learned from have none).
    """

    start: int
    words: list[str]
    spaces: list[bool]
    indices: list[int]


def sentence_words(doc: Doc, sentences: Iterable[Span]) -> list[SentenceWords]:
    """The words of each sentence, read from the Doc's arrays rather than token by token."""
    orth, is_space, trailing = doc.to_array([ORTH, IS_SPACE, SPACY]).T
    strings = doc.vocab.strings
    found = []
    for sentence in sentences:
        kept = [i for i in range(sentence.start, sentence.end) if not is_space[i]]
        found.append(
            SentenceWords(
                sentence.start,
                [strings[int(orth[i])] for i in kept],
                [bool(trailing[i]) for i in kept],
                kept,
            )
        )
    return found
