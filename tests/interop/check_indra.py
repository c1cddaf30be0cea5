"""Read claimminer's INDRA Statements with INDRA itself; run in an environment that has INDRA.

    python tests/interop/check_indra.py statements.json

INDRA's pins clash with claimminer's test environment, so `tests/test_exports.py` runs this
with the Python named by CLAIMMINER_INDRA_PYTHON (`.ci/run` builds that environment). Prints
one JSON object: schema errors, statements read back, invalid statements, and whether every
agent's groundings and every evidence's negation and hedging survived the round trip.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from typing import Any

from indra.statements import stmts_from_json, stmts_to_json
from indra.statements.validate import validate_statement
from jsonschema import Draft6Validator


def agents(statement: dict[str, Any]) -> list[dict[str, Any]]:
    """The statement's agents (an Influence's are the concepts of its events)."""
    found = [statement[key] for key in ("subj", "obj") if statement.get(key)]
    found = [agent.get("concept", agent) for agent in found]
    return found + statement.get("members", [])


def main() -> None:
    """Validate, read back, write again and compare."""
    with open(sys.argv[1], encoding="utf-8") as handle:
        written = json.load(handle)
    schema_text = (resources.files("indra") / "resources" / "statements_schema.json").read_text()
    validator = Draft6Validator(json.loads(schema_text))
    schema_errors = [error.message[:200] for error in validator.iter_errors(written)]
    statements = stmts_from_json(written)
    again = stmts_to_json(statements)
    same_refs = all(
        [a["db_refs"] for a in agents(before)] == [a["db_refs"] for a in agents(after)]
        for before, after in zip(written, again, strict=True)
    )
    same_epistemics = all(
        before["evidence"][0]["epistemics"].get(flag)
        == after["evidence"][0]["epistemics"].get(flag)
        for before, after in zip(written, again, strict=True)
        for flag in ("negated", "hypothesis")
    )
    report = {
        "written": len(written),
        "read_back": len(statements),
        "schema_errors": schema_errors[:5],
        "invalid": sum(not validate_statement(statement) for statement in statements),
        "groundings_intact": same_refs,
        "epistemics_intact": same_epistemics,
        "negated": sum(bool(s.evidence[0].epistemics.get("negated")) for s in statements),
        "species": sorted(
            {
                f"{s.evidence[0].context.species.name}:{s.evidence[0].context.species.db_refs['TAXONOMY']}"
                for s in statements
                if s.evidence[0].context is not None
            }
        ),
        "types": sorted({type(statement).__name__ for statement in statements}),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
