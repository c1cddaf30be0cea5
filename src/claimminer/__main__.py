"""`python -m claimminer` runs the command line."""

from claimminer.cli import main

main()
