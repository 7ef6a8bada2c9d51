"""Command line for admins and scripts; every command is one call into the package."""

from __future__ import annotations

import argparse

from integra import seedbuild
from integra.config import database_url
from integra.seed import seed_if_empty
from integra.store import make_engine, migrate, schema_revision


def init_database(url: str | None = None) -> bool:
    """Create or migrate the database and seed it when empty; safe to run any number of times."""
    engine = make_engine(url)
    try:
        migrate(engine)
        return seed_if_empty(engine)
    finally:
        engine.dispose()


def _cmd_init(_args: argparse.Namespace) -> int:
    seeded = init_database()
    engine = make_engine()
    print(
        f"Datenbank {engine.url.render_as_string(hide_password=True)}: Schema {schema_revision(engine)}, "
        + ("Startdaten geladen." if seeded else "vorhandene Daten behalten.")
    )
    engine.dispose()
    return 0


def _cmd_build_seed(_args: argparse.Namespace) -> int:
    skipped = seedbuild.build()
    print(f"Seed-Dateien geschrieben; {len(skipped)} Quelldatensätze ohne Ort übersprungen (data/seed/README.md).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m integra", description="Integrationslandkarte Bayern")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "init", help=f"Datenbank anlegen/migrieren und bei Bedarf befüllen ({database_url()})"
    ).set_defaults(func=_cmd_init)
    commands.add_parser("build-seed", help="data/seed/ aus data/sources/ neu erzeugen").set_defaults(
        func=_cmd_build_seed
    )
    args = parser.parse_args(argv)
    return args.func(args)
