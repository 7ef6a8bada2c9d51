"""Command line for admins and scripts; every command is one call into the package."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from integra import auth, backup, export, factsheet, importer, queries, seedbuild, tabular
from integra.config import database_url
from integra.seed import seed_if_empty
from integra.store import connected, db_failure, migrate, schema_revision
from integra.vocab import ALL_BAVARIA, REGIERUNGSBEZIRKE


def init_database(url: str | None = None) -> bool:
    """Create or migrate the database and seed it when empty; safe to run any number of times."""
    with connected(url) as engine:
        migrate(engine)
        return seed_if_empty(engine)


def _cmd_init(_args: argparse.Namespace) -> int:
    seeded = init_database()
    with connected() as engine:
        print(
            f"Datenbank {engine.url.render_as_string(hide_password=True)}: Schema {schema_revision(engine)}, "
            + ("Startdaten geladen." if seeded else "vorhandene Daten behalten.")
        )
    return 0


def _cmd_build_seed(_args: argparse.Namespace) -> int:
    skipped = seedbuild.build()
    print(f"Seed-Dateien geschrieben; {len(skipped)} Quelldatensätze ohne Ort übersprungen (data/seed/README.md).")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    """Exit 0: applied, a clean dry run, or nothing to change; 1: file rejected, nothing changed."""
    try:
        data = Path(args.file).read_bytes()
        table = tabular.read_table(Path(args.file).name, data, args.sheet)
        with connected() as engine:
            plan = importer.plan_import(engine, table, data, mode=args.mode, only_valid=args.only_valid)
            applied = not args.dry_run and plan.can_apply
            if applied:
                importer.apply_import(engine, plan, user=args.user, check_version=False)
        summary = plan.summary(applied)
    except (OSError, tabular.FileRejected, importer.ImportRefused, SQLAlchemyError) as exc:
        message = db_failure(exc) + " Nichts geändert." if isinstance(exc, SQLAlchemyError) else str(exc)
        summary = {
            "inserted": 0,
            "updated": 0,
            "unchanged": 0,
            "removed": 0,
            "applied": False,
            "warnings": [],
            "errors": [{"row": None, "column": None, "message": message}],
        }
    unchanged_only = not (summary["inserted"] or summary["updated"] or summary["removed"])
    ok = summary["applied"] or (not summary["errors"] and (args.dry_run or unchanged_only))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(
            f"{args.file}: neu {summary['inserted']}, geändert {summary['updated']}, unverändert "
            f"{summary['unchanged']}, entfernt {summary['removed']} – "
            + ("übernommen." if summary["applied"] else "nichts geändert.")
        )
        for problem in summary["errors"]:
            where = f"Zeile {problem['row']}, Spalte {problem['column']}: " if problem["row"] else ""
            print(f"FEHLER {where}{problem['message']}", file=sys.stderr)
        for problem in summary["warnings"]:
            print(f"Hinweis Zeile {problem['row']}, Spalte {problem['column']}: {problem['message']}", file=sys.stderr)
    return 0 if ok else 1


def _cmd_undo(args: argparse.Namespace) -> int:
    try:
        with connected() as engine:
            importer.undo_import(engine, args.id, user=args.user)
    except importer.ImportRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Import {args.id} rückgängig gemacht.")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    with connected() as engine:
        partners = queries.partners(engine, args.regbez)
    sys.stdout.buffer.write(export.FORMATS[args.format](partners))
    return 0


def _cmd_steckbrief(args: argparse.Namespace) -> int:
    try:
        with connected() as engine:
            pdf = factsheet.factsheet_pdf(engine, args.ags)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    Path(args.out).write_bytes(pdf)
    print(f"Steckbrief {args.ags} geschrieben: {args.out}")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    with connected() as engine:
        Path(args.file).write_bytes(backup.dump(engine))
    print(f"Sicherung geschrieben: {args.file}")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    try:
        with connected() as engine:
            counts = backup.restore(engine, Path(args.file).read_bytes(), require_signature=not args.unsigned_ok)
    except (OSError, backup.BackupRejected, SQLAlchemyError) as exc:
        message = db_failure(exc) if isinstance(exc, SQLAlchemyError) else exc
        print(f"{args.file}: {message} Nichts geändert.", file=sys.stderr)
        return 1
    print(f"Wiederhergestellt aus {args.file}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    return 0


def _cmd_hash_password(_args: argparse.Namespace) -> int:
    password = getpass.getpass("Redaktionspasswort: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if len(password) < 10:
        print("Bitte mindestens 10 Zeichen.", file=sys.stderr)
        return 1
    print(
        "# in .streamlit/secrets.toml:\n[integra]\neditor_password_hash = " + json.dumps(auth.hash_password(password))
    )
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
    imp = commands.add_parser("import-partners", help="Partnerliste (CSV/XLSX) einspielen")
    imp.add_argument("file")
    imp.add_argument("--sheet", help="Tabellenblatt (XLSX); Standard: das erste")
    imp.add_argument("--mode", choices=[importer.MODE_MERGE, importer.MODE_REPLACE], default=importer.MODE_MERGE)
    imp.add_argument("--only-valid", action="store_true", help="Zeilen mit Fehlern überspringen")
    imp.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts ändern")
    imp.add_argument("--json", action="store_true", help="Ergebnis als ein JSON-Objekt")
    imp.add_argument("--user", default=getpass.getuser(), help="wer importiert (für die Historie)")
    imp.set_defaults(func=_cmd_import)
    undo = commands.add_parser("undo-import", help="einen Import rückgängig machen")
    undo.add_argument("id", type=int)
    undo.add_argument("--user", default=getpass.getuser())
    undo.set_defaults(func=_cmd_undo)
    exp = commands.add_parser("export-partners", help="Partner als CSV, XLSX oder GeoJSON auf die Standardausgabe")
    exp.add_argument("--format", choices=sorted(export.FORMATS), default="csv")
    exp.add_argument("--regbez", choices=[ALL_BAVARIA, *REGIERUNGSBEZIRKE], default=ALL_BAVARIA)
    exp.set_defaults(func=_cmd_export)
    sheet = commands.add_parser("steckbrief", help="Kreis-Steckbrief als PDF (eine A4-Seite)")
    sheet.add_argument("ags", help="fünfstelliger Kreisschlüssel, z. B. 09471")
    sheet.add_argument("--out", required=True, help="Zieldatei, z. B. bamberg.pdf")
    sheet.set_defaults(func=_cmd_steckbrief)
    save = commands.add_parser("backup", help="ganze Datenbank sichern (signiertes gzip-JSON)")
    save.add_argument("file")
    save.set_defaults(func=_cmd_backup)
    load = commands.add_parser("restore", help="Sicherung einspielen (ersetzt alles; prüft die Datei vorher)")
    load.add_argument("file")
    load.add_argument(
        "--unsigned-ok",
        action="store_true",
        help="auch ohne gültige Signatur (älteres Format, anderer Schlüssel); der Inhalt wird trotzdem geprüft",
    )
    load.set_defaults(func=_cmd_restore)
    commands.add_parser("hash-password", help="Hash für das Redaktionspasswort erzeugen (secrets.toml)").set_defaults(
        func=_cmd_hash_password
    )
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SQLAlchemyError as exc:  # init, backup, undo-import, exports: no traceback with SQL and row values
        print(db_failure(exc), file=sys.stderr)
        return 1
