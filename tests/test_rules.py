from __future__ import annotations

from pathlib import Path

import pytest

from claimminer.errors import DataFileError
from claimminer.model import Document
from claimminer.rules import (
    Rule,
    default_cues,
    default_rule_paths,
    default_rules,
    load_cues,
    load_rule_files,
)

RULES = default_rules().rules


def claim_strings(document: Document, rule: str | None = None) -> set[str]:
    """Claims as 'subject | predicate | object[ | negated][ | hedged]' strings."""
    entities = document.entity_index()
    found = set()
    for claim in document.claims:
        if rule is not None and claim.rule != rule:
            continue
        flags = " ".join(
            f for f, on in (("negated", claim.negated), ("hedged", claim.hedged)) if on
        )
        parts = [entities[claim.subject].text, claim.predicate, entities[claim.object].text]
        found.add(" | ".join([*parts, flags] if flags else parts))
    return found


def normalise(expected: str) -> str:
    return " | ".join(part.strip() for part in expected.split("|"))


@pytest.mark.parametrize(
    ("rule", "example"),
    [(rule, example) for rule in RULES for example in rule.examples],
    ids=lambda value: value.name if isinstance(value, Rule) else value.text[:40],
)
def test_rules_examples_give_their_claims(extract_surface, rule: Rule, example) -> None:
    """Surface rules are checked on the surface reader alone (the parse may read them first)."""
    assert_example_claims(extract_surface(example.text), rule.name, example.claims)


def assert_example_claims(document: Document, rule: str, claims: tuple[str, ...]) -> None:
    """The example gives every claim it lists, and the rule makes at least one claim in it."""
    found = claim_strings(document)
    assert {normalise(claim) for claim in claims} <= found
    assert claim_strings(document, rule), f"{rule} made none of {sorted(found)}"


@pytest.mark.parametrize(
    ("rule", "text"),
    [(rule, text) for rule in RULES for text in rule.counterexamples],
    ids=lambda value: value.name if isinstance(value, Rule) else value[:40],
)
def test_rules_counterexamples_give_no_claim_from_the_rule(
    extract_surface, rule: Rule, text: str
) -> None:
    assert claim_strings(extract_surface(text), rule.name) == set()


def test_rules_every_rule_has_examples_and_counterexamples() -> None:
    for rule in RULES:
        assert rule.examples and rule.counterexamples, rule.name


def test_rules_shipped_files_load() -> None:
    assert default_rule_paths()
    assert len({rule.name for rule in RULES}) == len(RULES)
    assert default_cues().negation_window > 0


GOOD_RULE = """
triggers:
  increase: [induc]
rules:
  - name: a
    predicate: increases
    subject: [CYTOKINE]
    object: [CYTOKINE]
    pattern: [subject, {trigger: increase}, object]
    examples:
      - text: IL-12 induces IFN-gamma.
        claims:
          - IL-12 | increases | IFN-gamma
    counterexamples: [Nothing here.]
"""


@pytest.mark.parametrize(
    ("change", "problem", "line"),
    [
        (("predicate: increases", "predicate: boosts"), "unknown predicate", 5),
        (("subject: [CYTOKINE]", "subject: [CYTOKIN]"), "unknown labels", 5),
        (("{trigger: increase}", "{trigger: raise}"), "unknown trigger", 9),
        (("    counterexamples:", "    colour: red\n    counterexamples:"), "unknown rule keys", 5),
        (
            ("[subject, {trigger: increase}, object]", "[subject, {trigger: increase}]"),
            "exactly one subject and one object",
            5,
        ),
        (("IL-12 | increases | IFN-gamma", "IL-12 | raises | IFN-gamma"), "example claim", 11),
        (("{trigger: increase}", "{skip: 99}"), "skip must be", 9),
        # YAML 1.1 reads a bare `on` as true: the loader names the line instead of crashing
        (("{trigger: increase}", "{trigger: increase}, {skip: 2, not: [on]}"), "not must be", 9),
        (("{trigger: increase}", "{trigger: increase, voice: passive}"), "voice must be", 9),
        (("triggers:", "trigger:"), "unknown top-level keys", 2),
        (("    examples:", "    opens_clause: verb\n    examples:"), "opens_clause must be", 5),
    ],
)
def test_rules_loader_rejects_bad_rules_with_line(
    tmp_path: Path, change: tuple[str, str], problem: str, line: int
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD_RULE.replace(*change), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_rule_files([path])
    assert problem in str(caught.value)
    assert caught.value.line == line


def test_rules_loader_accepts_the_good_rule(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD_RULE, encoding="utf-8")
    rules = load_rule_files([path])
    assert [rule.name for rule in rules.rules] == ["a"]
    assert rules.rules[0].source == "rules.yaml:5"


def test_rules_duplicate_names_across_files_are_rejected(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(GOOD_RULE, encoding="utf-8")
    second.write_text(GOOD_RULE.replace("triggers:\n  increase: [induc]\n", ""), encoding="utf-8")
    with pytest.raises(DataFileError, match="used twice"):
        load_rule_files([first, second])


def test_rules_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - name: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_rule_files([path])
    assert caught.value.line is not None


def test_rules_cue_file_rejects_missing_keys(tmp_path: Path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text("negation: {cues: [not]}\nhedging: {cues: [may]}\ncontext: {}\narguments: {}\n")
    with pytest.raises(DataFileError, match="needs exactly the keys"):
        load_cues(path)


CALIBRATION = """benchmark: test
command: test
rules:
  increases_active: {tp: 3, predicted: 4}
"""


def test_rules_calibration_gives_smoothed_confidence(tmp_path: Path) -> None:
    from claimminer.rules import load_calibration

    path = tmp_path / "calibration.yaml"
    path.write_text(CALIBRATION, encoding="utf-8")
    table = load_calibration(path, default_rules())
    assert table["increases_active"].confidence == round(4 / 6, 3)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("increases_active", "no_such_rule"), "unknown rule"),
        (("tp: 3", "tp: 5"), "tp <= predicted"),
        (("command: test\n", ""), "exactly the keys"),
    ],
)
def test_rules_calibration_rejects_bad_files(
    tmp_path: Path, change: tuple[str, str], problem: str
) -> None:
    from claimminer.rules import load_calibration

    path = tmp_path / "calibration.yaml"
    path.write_text(CALIBRATION.replace(*change), encoding="utf-8")
    with pytest.raises(DataFileError, match=problem):
        load_calibration(path, default_rules())


def test_rules_claims_carry_their_rules_calibrated_confidence(extract_surface) -> None:
    from claimminer.rules import default_calibration

    claim = extract_surface("IL-12 strongly induces IFN-gamma.").claims[0]
    assert claim.confidence == default_calibration()["increases_active"].confidence
    assert 0.0 < claim.confidence < 1.0
