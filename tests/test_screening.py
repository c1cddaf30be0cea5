"""The screened per-rule matchers find exactly what one Matcher over all rules finds.

Issue 15 replaced the single spaCy Matcher (all 45 rules tried at every argument token of
every candidate sentence) by one Matcher per rule, run only where the sentence holds the
rule's trigger, fixed words and argument kinds, and then only on the stretches around its
trigger words that an accepted match can span. These tests keep the old reading as the
reference and compare both, match for match, on the authored corpus and every rule example.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from claimminer.claims.context import DocumentContext
from claimminer.claims.roles import ROLE_NORM_PREFIX, DocWords, mark_roles
from claimminer.claims.surface import (
    Match,
    RuleMatcher,
    SentenceWords,
    accept_matches,
    aligned_matches,
    element_pattern,
    find_matches,
)
from claimminer.pipeline import CLAIMS_COMPONENT
from claimminer.rules import default_cues, default_rules

RULES = default_rules()


def _unscreened(doc: Doc, words: DocWords, rule_matcher: RuleMatcher) -> list[list[Match]]:
    """Matches per sentence from one Matcher holding every rule, run on every sentence."""
    matcher = Matcher(doc.vocab, validate=True)
    for rule in RULES.rules:
        matcher.add(rule.name, [[element_pattern(e, rule, RULES) for e in rule.pattern]])
    by_name = {rule.name: rule for rule in RULES.rules}
    found = []
    for sentence in doc.sents:
        raw = [
            (by_name[doc.vocab.strings[match_id]], start, end, alignment)
            for match_id, start, end, alignment in aligned_matches(matcher, sentence)
        ]
        found.append(accept_matches(doc, sentence, rule_matcher, raw))
    return found


def _marked(nlp: Language, text: str) -> tuple[Doc, DocWords]:
    """The Doc just before claim extraction, with argument roles marked."""
    with nlp.select_pipes(disable=[CLAIMS_COMPONENT]):
        doc = nlp(text)
    cues = default_cues()
    lower = tuple(token.lower_ for token in doc)
    context = DocumentContext.of(doc, cues, lower)
    return doc, mark_roles(doc, context.context_only, cues, lower)


def _compare(nlp: Language, text: str) -> int:
    doc, words = _marked(nlp, text)
    rule_matcher = RuleMatcher(RULES, doc.vocab)
    screened = [find_matches(doc, s, words, rule_matcher) for s in doc.sents]
    assert screened == _unscreened(doc, words, rule_matcher), text[:80]
    return sum(len(matches) for matches in screened)


@pytest.mark.parametrize("pipeline", ["nlp", "nlp_surface"])
def test_screening_same_matches_as_one_matcher_on_the_corpus(
    request: pytest.FixtureRequest, pipeline: str, corpus_dir: Path
) -> None:
    nlp = request.getfixturevalue(pipeline)
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus_dir.glob("*.txt"))]
    assert len(texts) >= 20
    matched = sum(_compare(nlp, text) for text in texts)
    assert matched > 200  # the comparison is over real matches, not empty lists


def test_screening_same_matches_on_every_rule_example(nlp_surface: Language) -> None:
    texts = [e.text for rule in RULES.rules for e in rule.examples]
    texts += [text for rule in RULES.rules for text in rule.counterexamples]
    assert sum(_compare(nlp_surface, text) for text in texts) >= len(RULES.rules)


def test_screening_offers_no_rule_without_its_trigger(nlp_surface: Language) -> None:
    doc, words = _marked(nlp_surface, "IL-2 and IL-4 were measured in T cells.")
    rule_matcher = RuleMatcher(RULES, doc.vocab)
    sentence = next(iter(doc.sents))
    assert SentenceWords.of(sentence, words, rule_matcher).triggers == set()
    assert list(rule_matcher.candidates(sentence, words)) == []


def test_screening_offers_only_rules_whose_words_are_present(nlp_surface: Language) -> None:
    doc, words = _marked(nlp_surface, "IL-2 induced IFN-gamma in NK cells.")
    rule_matcher = RuleMatcher(RULES, doc.vocab)
    offered = list(rule_matcher.candidates(next(iter(doc.sents)), words))
    assert offered, "an active 'induced' sentence offers the active rules"
    assert len(offered) < len(RULES.rules)
    present = {token.lower_ for token in doc}
    for compiled in offered:
        assert all(word_set & present for word_set in compiled.word_sets)


def test_screening_windows_around_triggers_join_when_they_overlap(nlp_surface: Language) -> None:
    text = (
        "IL-4 induced STAT6 and induced CD23 in B cells; much later, far away, IL-13 induced IL-6."
    )
    doc, words = _marked(nlp_surface, text)
    compiled = next(c for c in RuleMatcher(RULES, doc.vocab).compiled
                    if c.rule.name == "increases_active")  # fmt: skip
    sentence = next(iter(doc.sents))
    windows = compiled.windows(sentence, words)
    triggers = [t.i for t in sentence if t.lower_ == "induced"]
    assert len(triggers) == 3
    # every trigger sits in a window that reaches as far as the rule's bounds allow
    for i in triggers:
        assert any(
            max(sentence.start, i - compiled.reach_before) >= start
            and min(sentence.end, i + compiled.reach_after + 1) <= end
            for start, end in windows
        )
    # joined windows never overlap, so a match is found once
    assert all(first[1] < second[0] for first, second in pairwise(windows))
    subject, before, _, after, _ = compiled.rule.pattern  # subject, skip, trigger, skip, object
    assert (subject.kind, before.kind, after.kind) == ("role", "skip", "skip")
    assert (compiled.reach_before, compiled.reach_after) == (1 + before.skip, after.skip + 1)


def test_screening_patterns_read_roles_from_norm_not_extensions(nlp_surface: Language) -> None:
    patterns = [element_pattern(e, rule, RULES) for rule in RULES.rules for e in rule.pattern]
    assert not [p for p in patterns if "_" in p], "a Matcher extension read costs per token"
    doc, _ = _marked(nlp_surface, "IL-2-induced IL-10 inhibits it in NK cells.")
    marked = {t.text: t.norm_.removeprefix(ROLE_NORM_PREFIX) for t in doc if t._.cm_role}
    assert marked == {
        "IL-2": "CYTOKINE",  # modifies "induced": skips may pass over it
        "IL-10": "CYTOKINE:opaque",
        "it": "PRONOUN:opaque",
        "NK cells": "CELL_TYPE:opaque",
    }
    assert all(not t.norm_.startswith(ROLE_NORM_PREFIX) for t in doc if not t._.cm_role)
