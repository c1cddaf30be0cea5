"""`claimminer train`: claimminer's own models, trained from open annotated corpora."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from claimminer.cli.app import app, reports_errors
from claimminer.errors import ClaimMinerError

train_app = typer.Typer(help="Train claimminer's models from open corpora.", no_args_is_help=True)
app.add_typer(train_app, name="train")


TreebanksOption = Annotated[
    Path, typer.Option("--treebanks", help="Folder with craft/*.conllu and genia/*.conllx.")
]
JnlpbaOption = Annotated[Path, typer.Option("--jnlpba", help="JNLPBA folder (.txt + .ann).")]
Ge11Option = Annotated[Path, typer.Option("--ge11", help="GE11 folder (.txt + .a1).")]
OutputOption = Annotated[Path, typer.Option("--output", "-o", help="Folder for corpora and model.")]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="spaCy training config (default: shipped).")
]
GeniaWeightOption = Annotated[
    int, typer.Option("--genia-weight", min=1, help="Times each GENIA sentence is seen.")
]
SettingsOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a config value: SECTION.KEY=VALUE (repeatable)."),
]


@train_app.command("syntax")
@reports_errors
def train_syntax_command(
    treebanks: TreebanksOption,
    output: OutputOption,
    config: ConfigOption = None,
    genia_weight: GeniaWeightOption = 5,
    settings: SettingsOption = None,
) -> None:
    """Train the tagger and dependency parser (tok2vec + tagger + parser) on CPU.

    Writes OUTPUT/corpus (the fixed split, see claimminer/training/corpus.py), spaCy's
    OUTPUT/model-best and OUTPUT/model-last, and OUTPUT/training.json. GENIA's `dev` split is
    never read: score it with `claimminer bench treebank`. Ship a model by copying
    model-best to src/claimminer/models/syntax.
    """
    from claimminer.training.train import train_syntax

    overrides = parse_overrides(settings or [])
    record = train_syntax(treebanks, output, config, overrides, genia_weight)
    sizes = record["sentences"]
    typer.echo(
        f"claimminer: trained on {sizes['craft']:,} CRAFT and {sizes['genia_future_use']:,} "
        f"GENIA sentences (repeats counted), best checkpoint chosen on {sizes['tune']} held-out "
        f"GENIA sentences; model in {output}/model-best",
        err=True,
    )


@train_app.command("entities")
@reports_errors
def train_entities_command(
    jnlpba: JnlpbaOption,
    ge11: Ge11Option,
    output: OutputOption,
    config: ConfigOption = None,
    settings: SettingsOption = None,
) -> None:
    """Train the entity recogniser (tok2vec + ner) on CPU from JNLPBA and GE11's proteins.

    Writes OUTPUT/corpus (train, tune and dev by the fixed split of
    claimminer/training/entity_corpus.py), spaCy's OUTPUT/model-best and model-last, and
    OUTPUT/training.json. The dev split is never read by training: score it with
    `claimminer bench jnlpba|ge11 --split dev`. Ship a model by copying model-best to
    src/claimminer/models/entities.
    """
    from claimminer.training.train import train_entities

    record = train_entities(jnlpba, ge11, output, config, parse_overrides(settings or []))
    documents = record["documents"]
    typer.echo(f"claimminer: trained on {documents}; model in {output}/model-best", err=True)


@train_app.command("joint")
@reports_errors
def train_joint_command(
    treebanks: TreebanksOption,
    jnlpba: JnlpbaOption,
    ge11: Ge11Option,
    output: OutputOption,
    config: ConfigOption = None,
    genia_weight: GeniaWeightOption = 5,
    entity_weight: Annotated[
        int, typer.Option("--entity-weight", min=1, help="Times each entity document is seen.")
    ] = 1,
    settings: SettingsOption = None,
) -> None:
    """Train one encoder under tagger, parser and entity recogniser (tok2vec + all three).

    The treebanks teach the tags and heads, JNLPBA and GE11 the mentions, with the fixed
    splits of `train syntax` and `train entities`; the best checkpoint is chosen on both
    tune parts. Writes OUTPUT/corpus, OUTPUT/model-best, model-last and training.json. Use
    the model as both `--syntax PATH` and `--recogniser PATH`: each sentence is then encoded
    once. Ship it by copying model-best to src/claimminer/models/joint.
    """
    from claimminer.training.train import train_joint

    overrides = parse_overrides(settings or [])
    record = train_joint(
        treebanks, jnlpba, ge11, output, config, overrides, genia_weight, entity_weight
    )
    typer.echo(
        f"claimminer: trained on {record['syntax']['sentences']['craft']:,} CRAFT and "
        f"{record['syntax']['sentences']['genia_future_use']:,} GENIA sentences and "
        f"{record['entities']['documents']}; model in {output}/model-best",
        err=True,
    )


def parse_overrides(settings: list[str]) -> dict[str, Any]:
    """'training.max_steps=10' pairs as spaCy config overrides, values read as JSON if they can be.

    Raises:
        ClaimMinerError: a setting without '=' or without a section.

    """
    overrides: dict[str, Any] = {}
    for setting in settings:
        key, equals, value = setting.partition("=")
        if not equals or "." not in key:
            raise ClaimMinerError(f"--set {setting!r}: expected SECTION.KEY=VALUE")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    return overrides
