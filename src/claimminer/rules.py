"""Relation rules and cue lists: YAML data files, validated on load with `file:line` errors.

A surface rule (rules/*.yaml) is a named token pattern over merged entity tokens ("subject",
"object"), trigger words (named stem lists), fixed words and bounded skips; the claims layer
compiles it into a spaCy Matcher pattern. A syntax rule (syntax_rules.yaml) names a trigger
form ("active_verb", "noun", ...) and the grammatical path from the trigger to each
argument ("subject", "agent", "prep of", ...); `claims.syntax_paths` walks those paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from claimminer.errors import DataFileError
from claimminer.model import Label, Predicate

ROLE_SUBJECT = "subject"
ROLE_OBJECT = "object"
PRONOUN = "PRONOUN"
ROLE_LABELS = frozenset({*(label.value for label in Label), PRONOUN})
RULE_KEYS = frozenset(
    {"name", "predicate", "subject", "object", "pattern", "priority", "negated",
     "examples", "counterexamples", "note", "opens_clause"}
)  # fmt: skip
ELEMENT_KEYS = frozenset(
    {"trigger", "words", "skip", "through", "optional", "role", "not", "voice"}
)


# libyaml's parser when PyYAML has it (its wheels do): the data files load about 8 times faster.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that remembers the line of every mapping, for error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = LineDict({str(k): v for k, v in loader.construct_mapping(node, deep=True).items()})
    mapping.line = node.start_mark.line + 1
    return mapping


class LineDict(dict[str, Any]):
    """A YAML mapping that knows the line it started on."""

    line: int = 0


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Parse a YAML data file; a syntax error names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(path, None, f"cannot read: {error}") from error
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise DataFileError(path, line, f"YAML: {error.problem}") from error


@dataclass(frozen=True, slots=True)
class Element:
    """One step of a rule pattern."""

    kind: str  # "role", "trigger", "words" or "skip"
    role: str | None = None
    trigger: str | None = None
    words: tuple[str, ...] = ()
    skip: int = 0
    through_arguments: bool = False
    optional: bool = False
    excluded: tuple[str, ...] = ()
    # "active": the trigger must read as a verb whose agent is the subject before it
    active_voice: bool = False


@dataclass(frozen=True, slots=True)
class Example:
    """A sentence and the claims ('subject | predicate | object [| negated]') a rule must give."""

    text: str
    claims: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named relation pattern with its argument constraints and its test sentences."""

    name: str
    predicate: str
    subject_labels: frozenset[str]
    object_labels: frozenset[str]
    pattern: tuple[Element, ...]
    priority: int
    negated: bool
    examples: tuple[Example, ...]
    counterexamples: tuple[str, ...]
    source: str
    # The role ("subject" or "object") that must open its clause: no other argument and no
    # finite trigger verb between the clause's start and it, coordinated names aside. For
    # rules that reach across a first verb phrase ("X represses A and induces B") or whose
    # grammatical subject may hide in a phrase ("production by Th1 cells and IL-12 requires").
    opens_clause: str | None = None


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Triggers, clause barriers and rules of one or more rule files."""

    triggers: dict[str, tuple[str, ...]]
    barriers: tuple[str, ...]
    rules: tuple[Rule, ...]

    def rule(self, name: str) -> Rule:
        """The rule with this name."""
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)


def _fail(path: Path, node: Any, problem: str) -> DataFileError:
    return DataFileError(path, getattr(node, "line", None), problem)


def _string_list(path: Path, node: Any, value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _fail(path, node, f"{what} must be a non-empty list of strings")
    return tuple(value)


def _parse_element(path: Path, rule: Any, item: Any, triggers: dict[str, Any]) -> Element:
    if item in (ROLE_SUBJECT, ROLE_OBJECT):
        return Element(kind="role", role=item)
    if not isinstance(item, dict):
        raise _fail(path, rule, f"pattern element {item!r} is not 'subject', 'object' or a map")
    unknown = set(item) - ELEMENT_KEYS
    if unknown:
        raise _fail(path, item, f"unknown pattern keys {sorted(unknown)}")
    optional = bool(item.get("optional", False))
    if "trigger" in item:
        if item["trigger"] not in triggers:
            raise _fail(path, item, f"unknown trigger {item['trigger']!r}")
        voice = item.get("voice", "any")
        if voice not in ("any", "active"):
            raise _fail(path, item, "voice must be 'any' or 'active'")
        return Element(
            kind="trigger", trigger=item["trigger"], optional=optional,
            active_voice=voice == "active",
        )  # fmt: skip
    if "words" in item:
        words = tuple(w.lower() for w in _string_list(path, item, item["words"], "words"))
        return Element(kind="words", words=words, optional=optional)
    if "skip" in item:
        skip = item["skip"]
        if not isinstance(skip, int) or not 0 < skip <= 30:
            raise _fail(path, item, "skip must be an integer from 1 to 30")
        through = item.get("through", "nothing")
        if through not in ("nothing", "arguments"):
            raise _fail(path, item, "through must be 'nothing' or 'arguments'")
        excluded = tuple(
            w.lower()
            for w in (_string_list(path, item, item["not"], "not") if "not" in item else ())
        )
        return Element(
            kind="skip", skip=skip, through_arguments=through == "arguments", excluded=excluded
        )
    raise _fail(path, item, "pattern element needs trigger, words or skip")


def _parse_examples(path: Path, rule: Any) -> tuple[Example, ...]:
    examples = []
    for item in rule.get("examples") or []:
        if not isinstance(item, dict) or set(item) != {"text", "claims"}:
            raise _fail(path, rule, "an example needs exactly 'text' and 'claims'")
        claims = _string_list(path, item, item["claims"], "example claims")
        for claim in claims:
            parts = [part.strip() for part in claim.split("|")]
            if len(parts) not in (3, 4) or parts[1] not in Predicate._value2member_map_:
                raise _fail(path, item, f"example claim {claim!r}: 'S | predicate | O [| negated]'")
            if len(parts) == 4 and parts[3] not in ("negated", "hedged", "negated hedged"):
                raise _fail(path, item, f"example claim {claim!r}: flag must be negated/hedged")
        examples.append(Example(text=item["text"], claims=claims))
    return tuple(examples)


def _check_keys(
    path: Path, item: Any, what: str, allowed: frozenset[str], required: tuple[str, ...]
) -> None:
    """A rule entry is a mapping with only `allowed` keys and every `required` one."""
    if not isinstance(item, dict):
        raise DataFileError(path, None, f"each {what} must be a mapping")
    unknown = set(item) - allowed
    if unknown:
        raise _fail(path, item, f"unknown {what} keys {sorted(unknown)}")
    for key in required:
        if key not in item:
            raise _fail(path, item, f"{what} {item.get('name', '?')!r} lacks {key!r}")


def _parse_rule(path: Path, item: Any, triggers: dict[str, Any]) -> Rule:
    _check_keys(path, item, "rule", RULE_KEYS,
                ("name", "predicate", "subject", "object", "pattern", "examples"))  # fmt: skip
    if item["predicate"] not in Predicate._value2member_map_:
        raise _fail(path, item, f"unknown predicate {item['predicate']!r}")
    labels = {}
    for role in (ROLE_SUBJECT, ROLE_OBJECT):
        values = _string_list(path, item, item[role], role)
        bad = set(values) - ROLE_LABELS
        if bad:
            raise _fail(path, item, f"{role}: unknown labels {sorted(bad)}")
        labels[role] = frozenset(values)
    pattern = tuple(_parse_element(path, item, e, triggers) for e in item["pattern"] or [])
    roles = [element.role or "" for element in pattern if element.kind == "role"]
    if sorted(roles) != [ROLE_OBJECT, ROLE_SUBJECT]:
        raise _fail(path, item, "pattern needs exactly one subject and one object")
    if not any(element.kind == "trigger" for element in pattern):
        raise _fail(path, item, "pattern needs a trigger")
    examples = _parse_examples(path, item)
    if not examples:
        raise _fail(path, item, "a rule needs at least one example")
    counterexamples = _string_list(path, item, item.get("counterexamples"), "counterexamples")
    opens_clause = item.get("opens_clause")
    if opens_clause not in (None, ROLE_SUBJECT, ROLE_OBJECT):
        raise _fail(path, item, f"opens_clause must be {ROLE_SUBJECT!r} or {ROLE_OBJECT!r}")
    return Rule(
        name=item["name"],
        predicate=item["predicate"],
        subject_labels=labels[ROLE_SUBJECT],
        object_labels=labels[ROLE_OBJECT],
        pattern=pattern,
        priority=int(item.get("priority", 0)),
        negated=bool(item.get("negated", False)),
        examples=examples,
        counterexamples=counterexamples,
        source=f"{path.name}:{getattr(item, 'line', '?')}",
        opens_clause=opens_clause,
    )


def load_rule_files(paths: list[Path]) -> RuleSet:
    """Load, validate and merge rule files; rule names must be unique across files."""
    triggers: dict[str, tuple[str, ...]] = {}
    barriers: list[str] = []
    rules: list[Rule] = []
    for path in paths:
        data = load_yaml(path)
        if not isinstance(data, dict):
            raise DataFileError(path, 1, "a rule file is a mapping with 'rules'")
        unknown = set(data) - {"triggers", "barriers", "rules"}
        if unknown:
            raise _fail(path, data, f"unknown top-level keys {sorted(unknown)}")
        for name, stems in (data.get("triggers") or {}).items():
            if name in triggers:
                raise _fail(path, data["triggers"], f"trigger {name!r} defined twice")
            triggers[name] = tuple(s.lower() for s in _string_list(path, data, stems, name))
        barriers.extend(data.get("barriers") or [])
    for path in paths:
        for item in load_yaml(path).get("rules") or []:
            rule = _parse_rule(path, item, triggers)
            if any(existing.name == rule.name for existing in rules):
                raise _fail(path, item, f"rule name {rule.name!r} is used twice")
            rules.append(rule)
    return RuleSet(triggers=triggers, barriers=tuple(barriers), rules=tuple(rules))


@dataclass(frozen=True, slots=True)
class Cues:
    """Negation and hedging cues and the words that state experimental context."""

    negation: frozenset[str]
    negation_window: int
    pseudo_negation: tuple[tuple[str, ...], ...]
    scope_breakers: frozenset[str]
    hedging: frozenset[str]
    organisms: dict[str, str]
    organism_words: dict[str, str]
    loss_of_function: frozenset[str]
    gain_of_function: frozenset[str]
    loss_of_function_before: tuple[tuple[str, ...], ...]
    wild_type: tuple[tuple[str, ...], ...]
    strains: frozenset[str]
    settings: dict[tuple[str, ...], str]
    cell_source_openers: tuple[tuple[str, ...], ...]
    cell_source_nouns: frozenset[str]
    cell_source_stops: frozenset[str]
    stimulus_participles: frozenset[str]
    dna_words: frozenset[str]
    site_words: frozenset[str]
    modifier_participles: frozenset[str]
    indirect_heads: frozenset[str]
    means_nouns: frozenset[str]


CUE_KEYS = {"negation", "hedging", "context", "arguments"}


def load_cues(path: Path) -> Cues:
    """Load the cue file; every section and key is required so typos fail loudly."""
    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) != CUE_KEYS:
        raise _fail(path, data, f"cue file needs exactly the sections {sorted(CUE_KEYS)}")
    negation, hedging, context = data["negation"], data["hedging"], data["context"]
    arguments = data["arguments"]
    expected = {
        "negation": (negation, {"cues", "window", "pseudo", "scope_breakers"}),
        "hedging": (hedging, {"cues"}),
        "context": (context, {"organisms", "organism_words", "loss_of_function",
                              "gain_of_function", "loss_of_function_before", "wild_type", "strains",
                              "settings", "cell_source_openers", "cell_source_nouns",
                              "cell_source_stops", "stimulus_participles"}),
        "arguments": (
            arguments,
            {"dna_words", "site_words", "modifier_participles", "indirect_heads", "means_nouns"},
        ),
    }  # fmt: skip
    for section, (node, keys) in expected.items():
        if not isinstance(node, dict) or set(node) != keys:
            raise _fail(path, node, f"section {section!r} needs exactly the keys {sorted(keys)}")

    def phrases(node: Any, values: Any, what: str) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(v.lower().split()) for v in _string_list(path, node, values, what))

    def lowered(node: Any, key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in _string_list(path, node, node[key], key))

    return Cues(
        negation=lowered(negation, "cues"),
        negation_window=int(negation["window"]),
        pseudo_negation=phrases(negation, negation["pseudo"], "pseudo"),
        scope_breakers=frozenset(
            _string_list(path, negation, negation["scope_breakers"], "breakers")
        ),
        hedging=lowered(hedging, "cues"),
        organisms=dict(context["organisms"]),
        organism_words={k.lower(): v for k, v in context["organism_words"].items()},
        loss_of_function=frozenset(
            _string_list(path, context, context["loss_of_function"], "loss_of_function")
        ),
        gain_of_function=frozenset(
            _string_list(path, context, context["gain_of_function"], "gain_of_function")
        ),
        loss_of_function_before=phrases(
            context, context["loss_of_function_before"], "loss_of_function_before"
        ),
        wild_type=phrases(context, context["wild_type"], "wild_type"),
        strains=lowered(context, "strains"),
        settings={tuple(k.lower().split()): v for k, v in context["settings"].items()},
        cell_source_openers=phrases(context, context["cell_source_openers"], "openers"),
        cell_source_nouns=lowered(context, "cell_source_nouns"),
        cell_source_stops=lowered(context, "cell_source_stops"),
        stimulus_participles=lowered(context, "stimulus_participles"),
        dna_words=lowered(arguments, "dna_words"),
        modifier_participles=lowered(arguments, "modifier_participles"),
        site_words=lowered(arguments, "site_words"),
        indirect_heads=lowered(arguments, "indirect_heads"),
        means_nouns=lowered(arguments, "means_nouns"),
    )


@dataclass(frozen=True, slots=True)
class RulePrecision:
    """A rule's measured precision on a benchmark, and the confidence it gives its claims."""

    rule: str
    true_positives: int
    predicted: int

    @property
    def confidence(self) -> float:
        """Precision with add-one smoothing, (tp + 1) / (n + 2).

        A rule measured on a handful of claims is then given neither 0 nor 1.
        """
        return round((self.true_positives + 1) / (self.predicted + 2), 3)


CALIBRATION_KEYS = {"benchmark", "command", "rules"}


def load_calibration(
    path: Path, rules: RuleSet, syntax_rules: Sequence[SyntaxRule] = ()
) -> dict[str, RulePrecision]:
    """Per-rule precision measured on a benchmark; every rule named must exist."""
    data = load_yaml(path)
    if not isinstance(data, dict) or set(data) != CALIBRATION_KEYS:
        raise _fail(path, data, f"calibration needs exactly the keys {sorted(CALIBRATION_KEYS)}")
    known = {rule.name for rule in rules.rules} | {rule.name for rule in syntax_rules}
    table = {}
    for name, counts in (data["rules"] or {}).items():
        if name not in known:
            raise _fail(path, data["rules"], f"unknown rule {name!r}")
        if not isinstance(counts, dict) or set(counts) != {"tp", "predicted"}:
            raise _fail(path, data["rules"], f"rule {name!r} needs exactly tp and predicted")
        tp, predicted = counts["tp"], counts["predicted"]
        if not (isinstance(tp, int) and isinstance(predicted, int) and 0 <= tp <= predicted):
            raise _fail(path, data["rules"], f"rule {name!r}: need 0 <= tp <= predicted")
        table[name] = RulePrecision(name, tp, predicted)
    return table


def data_path(*parts: str) -> Path:
    """A file shipped in the package's data folder."""
    return Path(str(resources.files("claimminer").joinpath("data", *parts)))


def default_rule_paths() -> list[Path]:
    """The rule files shipped in the package."""
    return sorted(data_path("rules").glob("*.yaml"))


@cache
def default_rules() -> RuleSet:
    """The shipped rules, loaded once per process."""
    return load_rule_files(default_rule_paths())


@cache
def default_calibration() -> dict[str, RulePrecision]:
    """The shipped per-rule precision (measured on GE11 training events)."""
    return load_calibration(
        data_path("rule_precision.yaml"), default_rules(), default_syntax_rules()
    )


@cache
def default_cues() -> Cues:
    """The shipped cues, loaded once per process."""
    return load_cues(data_path("cues.yaml"))


# ---------------------------------------------------------------------------------------------
# Syntax rules

TRIGGER_FORMS = frozenset(
    {"active_verb", "passive_verb", "noun", "hyphen_modifier", "predicate", "any"}
)
NAMED_PATHS = frozenset(
    {"subject", "passive_subject", "direct_object", "agent", "head_noun", "hyphen_modifier",
     "clause_subject", "possessor", "noun_modifier", "present_factor"}
)  # fmt: skip
SYNTAX_PREFIX = "syntax_"  # so that every claim shows which reader made it
SYNTAX_RULE_KEYS = frozenset(
    {"name", "note", "triggers", "form", "subject", "object", "subject_labels",
     "object_labels", "negated", "priority", "examples", "counterexamples"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ArgumentPath:
    """How to reach an argument from the trigger: a named path, or a preposition's object."""

    name: str  # one of NAMED_PATHS, or "prep"
    prepositions: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"prep {', '.join(self.prepositions)}" if self.name == "prep" else self.name


@dataclass(frozen=True, slots=True)
class SyntaxRule:
    """Trigger words of a form, and the grammatical paths to subject and object."""

    name: str
    predicates: dict[str, str]  # trigger list name -> predicate
    form: str
    subject: tuple[ArgumentPath, ...]  # alternatives: the first that reaches a mention counts
    object: tuple[ArgumentPath, ...]
    subject_labels: frozenset[str]
    object_labels: frozenset[str]
    negated: bool
    priority: int
    examples: tuple[Example, ...]
    counterexamples: tuple[str, ...]
    source: str


def _parse_paths(path: Path, node: Any, value: Any) -> tuple[ArgumentPath, ...]:
    """One path, or a list of alternatives tried in order."""
    values = value if isinstance(value, list) and value else [value]
    return tuple(_parse_path(path, node, item) for item in values)


def _parse_path(path: Path, node: Any, value: Any) -> ArgumentPath:
    if not isinstance(value, str):
        raise _fail(path, node, f"argument path {value!r} must be a string")
    if value in NAMED_PATHS:
        return ArgumentPath(value)
    words = value.split(maxsplit=1)
    if len(words) == 2 and words[0] == "prep":
        prepositions = tuple(w.strip().lower() for w in words[1].split(",") if w.strip())
        if prepositions:
            return ArgumentPath("prep", prepositions)
    raise _fail(
        path, node, f"unknown argument path {value!r}: one of {sorted(NAMED_PATHS)} or 'prep X, Y'"
    )


def _parse_syntax_rule(path: Path, item: Any, triggers: dict[str, Any]) -> SyntaxRule:
    _check_keys(path, item, "syntax rule", SYNTAX_RULE_KEYS,
                ("name", "triggers", "form", "subject", "object", "subject_labels",
                 "object_labels", "examples"))  # fmt: skip
    predicates = item["triggers"]
    if not isinstance(predicates, dict) or not predicates:
        raise _fail(path, item, "triggers must map trigger lists to predicates")
    for trigger, predicate in predicates.items():
        if trigger not in triggers:
            raise _fail(path, item, f"unknown trigger {trigger!r}")
        if predicate not in Predicate._value2member_map_:
            raise _fail(path, item, f"unknown predicate {predicate!r}")
    if not str(item["name"]).startswith(SYNTAX_PREFIX):
        raise _fail(path, item, f"syntax rule name {item['name']!r} must start with 'syntax_'")
    if item["form"] not in TRIGGER_FORMS:
        raise _fail(path, item, f"form must be one of {sorted(TRIGGER_FORMS)}")
    labels = {}
    for role in ("subject_labels", "object_labels"):
        values = frozenset(_string_list(path, item, item[role], role))
        if values - ROLE_LABELS:
            raise _fail(path, item, f"{role}: unknown labels {sorted(values - ROLE_LABELS)}")
        labels[role] = values
    examples = _parse_examples(path, item)
    if not examples:
        raise _fail(path, item, "a rule needs at least one example")
    return SyntaxRule(
        name=item["name"],
        predicates=dict(predicates),
        form=item["form"],
        subject=_parse_paths(path, item, item["subject"]),
        object=_parse_paths(path, item, item["object"]),
        subject_labels=labels["subject_labels"],
        object_labels=labels["object_labels"],
        negated=bool(item.get("negated", False)),
        priority=int(item.get("priority", 0)),
        examples=examples,
        counterexamples=_string_list(path, item, item.get("counterexamples"), "counterexamples"),
        source=f"{path.name}:{getattr(item, 'line', '?')}",
    )


def load_syntax_rules(path: Path, rules: RuleSet) -> tuple[tuple[SyntaxRule, ...], RuleSet]:
    """Load syntax rules; return them with the rule set's triggers extended by their own.

    A syntax rule file may define trigger lists of its own ("bind"); names must not clash
    with the surface rules' lists, and rule names must be unique across both readers.
    """
    data = load_yaml(path)
    if not isinstance(data, dict) or not set(data) <= {"triggers", "rules"}:
        raise _fail(path, data, "a syntax rule file is a mapping with 'triggers' and 'rules'")
    triggers = dict(rules.triggers)
    for name, stems in (data.get("triggers") or {}).items():
        if name in triggers:
            raise _fail(path, data["triggers"], f"trigger {name!r} defined twice")
        triggers[name] = tuple(s.lower() for s in _string_list(path, data, stems, name))
    names = {rule.name for rule in rules.rules}
    loaded: list[SyntaxRule] = []
    for item in data.get("rules") or []:
        rule = _parse_syntax_rule(path, item, triggers)
        if rule.name in names:
            raise _fail(path, item, f"rule name {rule.name!r} is used twice")
        names.add(rule.name)
        loaded.append(rule)
    extended = RuleSet(triggers=triggers, barriers=rules.barriers, rules=rules.rules)
    return tuple(loaded), extended


@cache
def default_syntax_rules() -> tuple[SyntaxRule, ...]:
    """The shipped syntax rules, loaded once per process."""
    return load_syntax_rules(data_path("syntax_rules.yaml"), default_rules())[0]


@cache
def default_triggers() -> dict[str, tuple[str, ...]]:
    """Every trigger list: the surface rules' and the syntax rules' own."""
    return load_syntax_rules(data_path("syntax_rules.yaml"), default_rules())[1].triggers


def any_trigger_pattern(triggers: dict[str, tuple[str, ...]]) -> str:
    """One regular expression that matches the start of any trigger word."""
    stems = sorted({stem for group in triggers.values() for stem in group})
    return "^(?:" + "|".join(stems) + ")"
