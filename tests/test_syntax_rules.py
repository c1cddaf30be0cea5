"""Syntax rules: every example and counterexample on the shipped parser, and the loader."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_rules import assert_example_claims, claim_strings

from claimminer.errors import DataFileError
from claimminer.rules import (
    SyntaxRule,
    data_path,
    default_rules,
    default_syntax_rules,
    load_syntax_rules,
)

SYNTAX_RULES = default_syntax_rules()


@pytest.mark.parametrize(
    ("rule", "example"),
    [(rule, example) for rule in SYNTAX_RULES for example in rule.examples],
    ids=lambda value: value.name if isinstance(value, SyntaxRule) else value.text[:40],
)
def test_syntax_rules_examples_give_their_claims(extract, rule: SyntaxRule, example) -> None:
    assert_example_claims(extract(example.text), rule.name, example.claims)


@pytest.mark.parametrize(
    ("rule", "text"),
    [(rule, text) for rule in SYNTAX_RULES for text in rule.counterexamples],
    ids=lambda value: value.name if isinstance(value, SyntaxRule) else value[:40],
)
def test_syntax_rules_counterexamples_give_no_claim_from_the_rule(
    extract, rule: SyntaxRule, text: str
) -> None:
    assert claim_strings(extract(text), rule.name) == set()


def test_syntax_rules_every_rule_has_examples_counterexamples_and_the_prefix() -> None:
    assert SYNTAX_RULES
    for rule in SYNTAX_RULES:
        assert rule.examples and rule.counterexamples, rule.name
        assert rule.name.startswith("syntax_"), rule.name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the issue's three sentences: exactly these claims, no more
        (
            "Dexamethasone inhibited the production of IL-1β, IL-6 and TNF-α by macrophages.",
            {"Dexamethasone | decreases | IL-1β", "Dexamethasone | decreases | IL-6",
             "Dexamethasone | decreases | TNF-α", "macrophages | produces | IL-1β",
             "macrophages | produces | IL-6", "macrophages | produces | TNF-α"},
        ),
        (
            ("NK cell cytotoxicity against tumor cells was markedly enhanced by IL-2 and IL-12, "
             "but not by IL-4."),
            {"IL-2 | increases | NK cell", "IL-12 | increases | NK cell",
             "IL-4 | increases | NK cell | negated"},
        ),
        (
            ("In humans, IL23 and IL1β also induce the development of Th17 cells expressing "
             "IL17A, IL17F and IL22."),
            {"IL23 | increases | Th17 cells", "IL1β | increases | Th17 cells",
             "Th17 cells | produces | IL17A", "Th17 cells | produces | IL17F",
             "Th17 cells | produces | IL22"},
        ),
    ],
)  # fmt: skip
def test_syntax_rules_issue_sentences_give_exactly_the_right_claims(
    extract, text: str, expected: set[str]
) -> None:
    assert claim_strings(extract(text)) == expected


def test_syntax_rules_the_parse_reaches_past_a_long_apposition(extract, extract_surface) -> None:
    """Ten words between subject and verb: the surface skips stop short, the parse does not."""
    text = "IL-12, a cytokine made very early in the infection, induces IL-10."
    assert claim_strings(extract_surface(text)) == set()
    assert claim_strings(extract(text)) == {"IL-12 | increases | IL-10"}


def test_syntax_rules_claims_name_their_reader(extract) -> None:
    document = extract("IL-10 is secreted by macrophages and B cells.")
    assert {claim.rule for claim in document.claims} == {"syntax_produced_by_cells"}


@pytest.mark.parametrize(
    ("text", "negated", "hedged"),
    [
        ("Dexamethasone did not inhibit IL-6 production.", True, False),
        ("Dexamethasone failed to inhibit IL-6 production.", True, False),
        ("Dexamethasone had no effect on IL-6.", True, False),
        ("Dexamethasone may inhibit IL-6 production.", False, True),
        ("These data suggest that dexamethasone inhibits IL-6 production.", False, True),
        ("Dexamethasone inhibited not only IL-6 but also TNF-α.", False, False),
    ],
)
def test_syntax_rules_negation_and_hedging_follow_the_parse(
    extract, text: str, negated: bool, hedged: bool
) -> None:
    claims = extract(text).claims
    assert claims
    assert all(c.rule and c.rule.startswith("syntax_") for c in claims)
    assert {(c.negated, c.hedged) for c in claims} == {(negated, hedged)}


GOOD_SYNTAX_RULE = """rules:
  - name: syntax_x
    triggers: {increase: increases}
    form: active_verb
    subject: subject
    object: direct_object
    subject_labels: [CYTOKINE]
    object_labels: [CYTOKINE]
    examples:
      - {text: IL-2 induces IL-4., claims: [IL-2 | increases | IL-4]}
    counterexamples: [IL-4 was induced.]
"""
BAD_SYNTAX_RULES = [
    ("{increase: increases}", "{nope: increases}", "unknown trigger 'nope'"),
    ("{increase: increases}", "{increase: grows}", "unknown predicate 'grows'"),
    ("form: active_verb", "form: verb", "form must be one of"),
    ("subject: subject", "subject: down", "unknown argument path 'down'"),
    ("object: direct_object", "object: prep", "unknown argument path 'prep'"),
    ("subject_labels: [CYTOKINE]", "subject_labels: [GENE]", "unknown labels"),
    ("name: syntax_x", "name: x", "must start with 'syntax_'"),
    ("    form: active_verb\n", "    form: active_verb\n    colour: red\n", "unknown syntax"),
    ("rules:", "triggers:\n  increase: [induc]\nrules:", "trigger 'increase' defined twice"),
]


def test_syntax_rules_loader_accepts_the_good_rule(tmp_path: Path) -> None:
    path = tmp_path / "syntax_rules.yaml"
    path.write_text(GOOD_SYNTAX_RULE, encoding="utf-8")
    (rule,), _ = load_syntax_rules(path, default_rules())
    assert (rule.name, rule.form, str(rule.subject[0])) == ("syntax_x", "active_verb", "subject")


@pytest.mark.parametrize(("old", "new", "message"), BAD_SYNTAX_RULES)
def test_syntax_rules_loader_names_the_fault(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = tmp_path / "syntax_rules.yaml"
    assert old in GOOD_SYNTAX_RULE
    path.write_text(GOOD_SYNTAX_RULE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=message) as raised:
        load_syntax_rules(path, default_rules())
    assert str(raised.value).startswith(f"{path}:")


def test_syntax_rules_loader_rejects_a_name_used_twice(tmp_path: Path) -> None:
    path = tmp_path / "syntax_rules.yaml"
    rule = GOOD_SYNTAX_RULE.removeprefix("rules:\n")
    path.write_text(GOOD_SYNTAX_RULE + rule, encoding="utf-8")
    with pytest.raises(DataFileError, match="rule name 'syntax_x' is used twice"):
        load_syntax_rules(path, default_rules())


def test_syntax_rules_shipped_file_extends_the_trigger_lists() -> None:
    rules, extended = load_syntax_rules(data_path("syntax_rules.yaml"), default_rules())
    assert "bind" in extended.triggers and "bind" not in default_rules().triggers
    assert {r.name for r in rules} == {r.name for r in SYNTAX_RULES}
