"""`python -m integra …`: the command-line face of the package (see integra/cli.py)."""

from integra.cli import main

raise SystemExit(main())
