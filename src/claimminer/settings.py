"""Choices that cross module boundaries: the pipeline to build, the network formats.

The pipeline spec is sent to worker processes; the formats are named here so the command
line is defined without importing networkx.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SYNTAX_SHIPPED = "default"
SYNTAX_ACCURATE = "accurate"
SYNTAX_NONE = "none"
RECOGNISER_SHIPPED = "default"
RECOGNISER_ACCURATE = "accurate"
RECOGNISER_NONE = "none"


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """The spaCy pipeline to build on (None: blank English) and the trained components.

    `syntax` is "default" (the parser of the joint pipeline shipped with claimminer),
    "accurate" (the wider parser shipped beside it, slower), "none" (surface rules only) or
    the path of another trained syntax pipeline; `recogniser` likewise for the entity
    recogniser ("default": the joint pipeline's, "accurate": the separate one shipped beside
    it, "none": the lexicon alone).
    """

    model: str | None = None
    syntax: str = SYNTAX_SHIPPED
    recogniser: str = RECOGNISER_SHIPPED


class NetworkFormat(StrEnum):
    """Files `network` writes: GraphML (Cytoscape, Gephi), CX2 (NDEx), three plain formats."""

    GRAPHML = "graphml"
    SIF = "sif"
    JSON = "json"
    CSV = "csv"
    CX2 = "cx2"
