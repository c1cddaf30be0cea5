"""The `claimminer` command line: thin wrappers over functions that return data.

This package is the only code that prints. Errors the user can fix arrive as
`ClaimMinerError` and leave as one line on stderr with exit status 1; inputs that cannot be
read are listed as skipped with their reason, and the status is 1 when any input was skipped.
`app` holds the application and its shared options; `commands`, `bench` and `train` register
their commands on it.
"""

from claimminer.cli import bench, commands, train
from claimminer.cli.app import app, main

__all__ = ["app", "bench", "commands", "main", "train"]
