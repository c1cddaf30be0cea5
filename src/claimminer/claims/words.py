"""Word lists the claim readers share: connectors, heads, prepositions, verb forms."""

from __future__ import annotations

from claimminer.model import Label

PRONOUNS = frozenset({"it", "they"})
CELL_LABELS = frozenset({Label.CELL_TYPE.value, Label.CELL_LINE.value})
STIMULUS_LABELS = frozenset({Label.CHEMICAL.value, Label.CYTOKINE.value, Label.PROTEIN.value})
ARGUMENT_LABELS = frozenset(label.value for label in Label) - {Label.SPECIES.value}
# Connectors between coordinated arguments; "but not" flips the polarity of what follows.
# A slash ("IL-4/IL-13-induced", "p50/p65") and a parenthesis ("NF-kappaB (p50/p65)",
# "CR1 (CD35) and CR3") join names that share the statement, as does a hanging hyphen
# ("TNF-alpha- and LPS-induced"). Longer connectors come first.
CONNECTORS: tuple[tuple[str, ...], ...] = (
    (")", ",", "and"), (")", "and"), (")", "or"), (")", ","), ("/",), ("(", "but", "not"), ("(",),
    ("-", ",", "and"), ("-", "and"), ("-", "or"), ("-", ","),
    (",", "and"), (",", "or"), ("and",), ("or",), ("and/or",), ("as", "well", "as"),
    (",", "but", "not"), ("but", "not"), ("nor",), (",",),
)  # fmt: skip
FLIPPING_CONNECTORS = frozenset({(",", "but", "not"), ("(", "but", "not"), ("but", "not")})
ARGUMENT_NEGATORS = frozenset({"not", "nor", "neither"})
# Nouns that may stand between an argument and a connector: "1,25D3 supplementation, but not".
ARGUMENT_HEADS = frozenset(
    {"supplementation", "treatment", "production", "expression", "secretion", "release",
     "levels", "level", "administration", "signaling", "signalling", "activity", "mrna",
     "protein", "gene", "cells", "proliferation", "signals", "signal", "engagement",
     "ligation"}
)  # fmt: skip


LIST_CONNECTORS = frozenset({",", "and", "or", "/"})
# Prepositions whose phrase never holds a clause's subject ("of" may: "expression of IL-4").
PHRASE_PREPOSITIONS = frozenset(
    {"to", "by", "with", "in", "on", "from", "for", "than", "through", "via"}
)
CLAUSE_OPENERS = frozenset({",", ";", ":", "that", "which", "whereas", "while", "although"})
CLAUSE_PREPOSITIONS = frozenset({"to", "of", "by", "with", "in", "on", "from", "for", "than"})
BE_FORMS = frozenset({"is", "are", "was", "were", "be", "been", "being"})
MODIFYING_ADVERBS = frozenset(
    {"also", "further", "then", "strongly", "markedly", "significantly", "greatly", "not",
     "only", "partially", "completely", "potently", "rapidly", "selectively", "specifically",
     "consistently", "dramatically", "profoundly", "effectively", "efficiently", "slightly",
     "negatively", "positively", "directly", "indirectly", "differentially"}
)  # fmt: skip
NOMINAL_ENDINGS = ("ion", "ions", "ement", "ements")  # not "augments": a verb
AGENT_ENDINGS = ("or", "ors", "er", "ers")
DETERMINERS = frozenset({"a", "an", "the", "this", "these", "its", "their"})
