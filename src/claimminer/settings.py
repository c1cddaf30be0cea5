"""Which pipeline a run builds: a value that crosses process boundaries to workers."""

from __future__ import annotations

from dataclasses import dataclass

SYNTAX_SHIPPED = "default"
SYNTAX_NONE = "none"
RECOGNISER_SHIPPED = "default"
RECOGNISER_NONE = "none"


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """The spaCy pipeline to build on (None: blank English) and the trained components.

    `syntax` is "default" (the parser shipped with claimminer), "none" (surface rules only)
    or the path of another trained syntax pipeline; `recogniser` likewise for the entity
    recogniser ("none": the lexicon alone).
    """

    model: str | None = None
    syntax: str = SYNTAX_SHIPPED
    recogniser: str = RECOGNISER_SHIPPED
