"""``python -m ttwell.running.cli``: the same as ``ttwell``."""

from ttwell.running.cli import main

main()
