"""Loading the trained pipelines claimminer ships (`models/syntax`, `models/entities`)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
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
    try:
        nlp = spacy.load(location, exclude=["tokenizer"], config=WORDS_GIVEN_CONFIG)
    except (OSError, ValueError) as error:
        raise ClaimMinerError(f"{location}: cannot load the {what}: {error}") from error
    if needs not in nlp.pipe_names:
        raise ClaimMinerError(f"{location}: the pipeline has no {needs}")
    return nlp
