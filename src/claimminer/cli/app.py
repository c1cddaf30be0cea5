"""The typer application, its shared options and the one-line error handling."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from claimminer import __version__
from claimminer.errors import ClaimMinerError
from claimminer.evaluate import Counts
from claimminer.io import atomic_writer

app = typer.Typer(
    name="claimminer",
    help="Grounded claims about cytokines and immune cells from biomedical text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

P = ParamSpec("P")
R = TypeVar("R")

TABLE_HEADER = f"{'':<28} {'precision':>9} {'recall':>7} {'f1':>7} {'tp':>5} {'fp':>5} {'fn':>5}"
JsonOption = Annotated[Path | None, typer.Option("--json", help="Write scores as JSON.")]
LimitOption = Annotated[
    int | None, typer.Option("--limit", min=1, help="Score only the first N documents.")
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="Name or path of an installed spaCy pipeline to build on."),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Encoding of text, PubTator and BioC JSON inputs that are not UTF-8 (latin-1, "
        "cp1252, ...); XML declares its own.",
    ),
]


RecogniserOption = Annotated[
    str,
    typer.Option(
        "--recogniser",
        help="'default': the recogniser of the shipped joint pipeline, beside the lexicon; "
        "'accurate': the separate shipped recogniser (more mentions right, slower); 'none': "
        "the lexicon alone (faster, fewer mentions); or the path of another trained recogniser.",
    ),
]
SyntaxOption = Annotated[
    str,
    typer.Option(
        "--syntax",
        help="'default': the parser of the shipped joint pipeline and the syntax rules; "
        "'accurate': the wider shipped parser (better parses, slower); 'none': surface rules "
        "only (faster, fewer claims); or the path of another trained syntax pipeline.",
    ),
]


DEBUG = {"on": False}


def _fail(message: str) -> typer.Exit:
    typer.echo(f"claimminer: error: {message}", err=True)
    return typer.Exit(code=1)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn ClaimMinerError into a one-line message and exit status 1."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ClaimMinerError as error:
            raise _fail(str(error)) from None
        except OSError as error:  # a disk that fills up or a folder that vanishes mid-run
            raise _fail(f"{error.filename or 'output'}: {error.strerror or error}") from None
        except KeyboardInterrupt:
            raise _fail("interrupted") from None
        except typer.Exit:
            raise  # the command chose its exit status and said why
        except Exception as error:  # a bug: one line for the user, the traceback with --debug
            if DEBUG["on"]:
                raise
            raise _fail(
                f"internal error: {type(error).__name__}: {error} (rerun with --debug for the "
                "traceback, and please report it)"
            ) from None

    return wrapper


def check_writable(path: Path) -> None:
    """Fail before any work when an output cannot be written."""
    directory = path.parent if path.parent != Path() else Path(".")
    if path.is_dir():
        raise ClaimMinerError(f"{path}: is a directory, expected a file path")
    probe = directory
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not _can_write(probe):
        raise ClaimMinerError(f"{path}: cannot write here")


def _can_write(directory: Path) -> bool:
    import os

    return os.access(directory, os.W_OK)


def format_row(name: str, counts: Counts) -> str:
    """One row of a precision/recall table."""
    return (
        f"{name:<28} {counts.precision:>9.3f} {counts.recall:>7.3f} {counts.f1:>7.3f} "
        f"{counts.tp:>5} {counts.fp:>5} {counts.fn:>5}"
    )


def write_json(data: Any, path: Path) -> None:
    """Write JSON atomically, indented, UTF-8."""
    with atomic_writer(path) as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimminer {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the Python traceback of an internal error.")
    ] = False,
) -> None:
    """Grounded claims about cytokines and immune cells from biomedical text."""
    DEBUG["on"] = debug


def main() -> None:
    """Entry point of the `claimminer` command and `python -m claimminer`.

    The process ends without the interpreter's teardown: freeing the lexicon tables and the
    models object by object took 0.5-1 s, longer than a small command's work. Outputs are
    closed by the commands and the streams and logs are flushed before.
    """
    code: int = 0
    try:
        app()
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
        code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
