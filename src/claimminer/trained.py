"""Loading the trained pipelines claimminer ships (`models/syntax`, `models/entities`)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language

from claimminer.errors import ClaimMinerError


def shipped_path(name: str) -> Path:
    """Where the packaged pipeline `models/NAME` lies (absent in a checkout that never had it)."""
    return Path(str(resources.files("claimminer").joinpath("models", name)))


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
        nlp = spacy.load(location)
    except (OSError, ValueError) as error:
        raise ClaimMinerError(f"{location}: cannot load the {what}: {error}") from error
    if needs not in nlp.pipe_names:
        raise ClaimMinerError(f"{location}: the pipeline has no {needs}")
    return nlp
