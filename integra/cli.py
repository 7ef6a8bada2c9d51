"""Command line for admins and scripts; every command is one call into the package."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from integra import (
    auth,
    backup,
    editing,
    export,
    factsheet,
    gaps,
    importer,
    maps,
    motion,
    queries,
    reports,
    seedbuild,
    tabular,
)
from integra.config import BASEMAP_NONE, BASEMAP_OSM, SEED_DIR, database_url
from integra.formatting import local_time
from integra.problems import Refused
from integra.seed import seed_if_empty
from integra.store import connected, db_failure, migrate, schema_revision
from integra.vocab import ALL_BAVARIA, REGIERUNGSBEZIRKE, REPORT_STATUSES


def init_database(url: str | None = None, seed_dir: Path = SEED_DIR) -> bool:
    """Create or migrate the database and seed it when empty; safe to run any number of times."""
    with connected(url) as engine:
        migrate(engine)
        return seed_if_empty(engine, seed_dir)


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


def _cmd_antrag(args: argparse.Namespace) -> int:
    """A draft motion: Word into --out, or Markdown on standard output. An unknown area is a usage error (2)."""
    if args.format == "docx" and not args.out:
        print(
            "Für Word bitte --out DATEI.docx angeben (oder --format md für Markdown auf die Ausgabe).", file=sys.stderr
        )
        return 2
    try:
        with connected() as engine:
            draft = motion.draft(engine, args.ags)
    except motion.MotionRefused as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.format == "md":
        if args.out:
            Path(args.out).write_text(motion.to_markdown(draft), encoding="utf-8")
        else:
            sys.stdout.write(motion.to_markdown(draft))
            return 0
    else:
        Path(args.out).write_bytes(motion.to_docx(draft))
    print(f"Antragsentwurf „{draft.subject}“ für {draft.area} geschrieben: {args.out}")
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


def _cmd_export_kreise(args: argparse.Namespace) -> int:
    with connected() as engine:
        if args.format == "geojson":
            data = export.areas_geojson(queries.kreise(engine, args.regbez))
        else:
            data = export.frame_csv(gaps.display(gaps.kreis_figures(engine, args.regbez)))
    sys.stdout.buffer.write(data)
    return 0


def _cmd_export_map(args: argparse.Namespace) -> int:
    view = maps.MapView(regbez=args.regbez, level=args.ebene, basemap=BASEMAP_NONE if args.offline else BASEMAP_OSM)
    with connected() as engine:
        data = maps.map_data(engine, view)
        stand = f"{local_time(changed):%d.%m.%Y}" if (changed := queries.data_age(engine).last_change) else ""
    if args.format == "html":
        Path(args.out).write_text(maps.standalone_html(view, data), encoding="utf-8")
    else:
        Path(args.out).write_bytes(maps.static_png(view, data, wide=args.wide, stand=stand))
    print(f"Karte geschrieben: {args.out}")
    return 0


def _cmd_import_concepts(args: argparse.Namespace) -> int:
    try:
        table = tabular.read_table(Path(args.file).name, Path(args.file).read_bytes())
        with connected() as engine:
            changes, errors = editing.read_concept_list(engine, table)
            if errors:
                for problem in errors:
                    where = f"Zeile {problem.row}, Spalte {problem.column}: " if problem.row else ""
                    print(f"FEHLER {where}{problem.message}", file=sys.stderr)
                print(f"{args.file}: nichts geändert.", file=sys.stderr)
                return 1
            editing.set_concepts(engine, changes, args.user)
    except (OSError, tabular.FileRejected, Refused) as exc:
        print(f"{args.file}: {exc} Nichts geändert.", file=sys.stderr)
        return 1
    print(f"{args.file}: {len(changes)} Konzepte übernommen (rückgängig auf der Seite Redaktion).")
    return 0


def _cmd_reports(args: argparse.Namespace) -> int:
    """The editors' review queue of visitors' reports, as on the Redaktion page."""
    try:
        with connected() as engine:
            if args.action == "list":
                rows = reports.listed(engine, args.status)
                if args.json:
                    print(reports.as_json(rows))
                for row in [] if args.json else rows:
                    fields = (row["id"], row["status"], row["kind"], f"{row['ags']} {row['region']}", row["source_url"])
                    print("\t".join(map(str, fields)))
            elif args.action == "accept":
                reports.accept(engine, args.id, args.by)
                print(f"Meldung {args.id} angenommen.")
            else:
                reports.reject(engine, args.id, args.by, args.why)
                print(f"Meldung {args.id} abgelehnt.")
    except Refused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


class Command(NamedTuple):
    help: str
    example: str


# Every command with its help text and example, as `build_parser` registers them (tests/test_docs.py reads it).
COMMANDS: dict[str, Command] = {}


def _command(
    commands: Any, name: str, func: Callable[[argparse.Namespace], int], help_text: str, example: str
) -> argparse.ArgumentParser:
    """One subcommand: its help, an example line under `--help`, and its entry in COMMANDS."""
    COMMANDS[name] = Command(help_text, example)
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=help_text, description=help_text, epilog=f"Beispiel: {example}"
    )
    parser.set_defaults(func=func)
    return parser


def _regbez_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--regbez", choices=[ALL_BAVARIA, *REGIERUNGSBEZIRKE], default=ALL_BAVARIA)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m integra", description="Integrationslandkarte Bayern")
    commands = parser.add_subparsers(dest="command", required=True)
    _command(
        commands,
        "init",
        _cmd_init,
        f"Datenbank anlegen/migrieren und bei Bedarf befüllen ({make_url(database_url()).render_as_string()})",
        "python -m integra init",
    )
    _command(
        commands,
        "build-seed",
        _cmd_build_seed,
        "data/seed/ aus data/sources/ neu erzeugen",
        "python -m integra build-seed",
    )
    imp = _command(
        commands,
        "import-partners",
        _cmd_import,
        "Partnerliste (CSV/XLSX) einspielen",
        "python -m integra import-partners liste.csv --mode merge --dry-run",
    )
    imp.add_argument("file")
    imp.add_argument("--sheet", help="Tabellenblatt (XLSX); Standard: das erste")
    imp.add_argument("--mode", choices=[importer.MODE_MERGE, importer.MODE_REPLACE], default=importer.MODE_MERGE)
    imp.add_argument("--only-valid", action="store_true", help="Zeilen mit Fehlern überspringen")
    imp.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts ändern")
    imp.add_argument("--json", action="store_true", help="Ergebnis als ein JSON-Objekt")
    imp.add_argument("--user", default=getpass.getuser(), help="wer importiert (für die Historie)")
    undo = _command(
        commands, "undo-import", _cmd_undo, "einen Import rückgängig machen", "python -m integra undo-import 3"
    )
    undo.add_argument("id", type=int)
    undo.add_argument("--user", default=getpass.getuser())
    concepts = _command(
        commands,
        "import-concepts",
        _cmd_import_concepts,
        "Konzeptliste (CSV/XLSX: AGS oder Name, Status, Titel, Jahr, Quelle) einspielen, alles oder nichts",
        "python -m integra import-concepts konzepte.csv --user Erika",
    )
    concepts.add_argument("file")
    concepts.add_argument("--user", default=getpass.getuser(), help="wer ändert (für das Änderungsprotokoll)")
    exp = _command(
        commands,
        "export-partners",
        _cmd_export,
        "Partner als CSV, XLSX oder GeoJSON auf die Standardausgabe",
        "python -m integra export-partners --format xlsx --regbez Oberfranken > partner.xlsx",
    )
    exp.add_argument("--format", choices=sorted(export.FORMATS), default="csv")
    _regbez_option(exp)
    kreise = _command(
        commands,
        "export-kreise",
        _cmd_export_kreise,
        "Kreise mit Konzept, KIZ und Partnerzahlen als CSV oder GeoJSON auf die Standardausgabe",
        "python -m integra export-kreise --format geojson > kreise.geojson",
    )
    kreise.add_argument("--format", choices=["csv", "geojson"], default="csv")
    _regbez_option(kreise)
    karte = _command(
        commands,
        "export-map",
        _cmd_export_map,
        "Karte als HTML-Datei (offline) oder PNG (Folien)",
        "python -m integra export-map --format png --wide --regbez Schwaben --out schwaben.png",
    )
    karte.add_argument("--format", choices=["html", "png"], default="html")
    _regbez_option(karte)
    karte.add_argument("--ebene", choices=[maps.LEVEL_KREISE, maps.LEVEL_GEMEINDEN], default=maps.LEVEL_KREISE)
    karte.add_argument("--wide", action="store_true", help="PNG im Format 16:9 statt 4:3")
    karte.add_argument("--offline", action="store_true", help="HTML ohne Hintergrundkarte (lädt nichts nach)")
    karte.add_argument("--out", required=True, help="Zieldatei")
    sheet = _command(
        commands,
        "steckbrief",
        _cmd_steckbrief,
        "Kreis-Steckbrief als PDF (eine A4-Seite)",
        "python -m integra steckbrief 09471 --out bamberg.pdf",
    )
    sheet.add_argument("ags", help="fünfstelliger Kreisschlüssel, z. B. 09471")
    sheet.add_argument("--out", required=True, help="Zieldatei, z. B. bamberg.pdf")
    antrag = _command(
        commands,
        "antrag",
        _cmd_antrag,
        "Antragsentwurf für einen Kreis (AGS mit 5 Ziffern) oder eine Gemeinde (8 Ziffern), aus den gespeicherten "
        "Fakten mit Quellen: Word oder Markdown",
        "python -m integra antrag 09177 --out erding.docx",
    )
    antrag.add_argument("ags", help="Kreis (5 Ziffern, z. B. 09177) oder Gemeinde (8 Ziffern, z. B. 09177117)")
    antrag.add_argument("--format", choices=["docx", "md"], default="docx", help="md: Markdown auf die Ausgabe")
    antrag.add_argument("--out", help="Zieldatei (für Word Pflicht)")
    save = _command(
        commands,
        "backup",
        _cmd_backup,
        "ganze Datenbank sichern (signiertes gzip-JSON)",
        "python -m integra backup sicherung.json.gz",
    )
    save.add_argument("file")
    load = _command(
        commands,
        "restore",
        _cmd_restore,
        "Sicherung einspielen (ersetzt alles; prüft die Datei vorher)",
        "python -m integra restore sicherung.json.gz",
    )
    load.add_argument("file")
    load.add_argument(
        "--unsigned-ok",
        action="store_true",
        help="auch ohne gültige Signatur (älteres Format, anderer Schlüssel); der Inhalt wird trotzdem geprüft",
    )
    queue = _command(
        commands,
        "reports",
        _cmd_reports,
        "Meldungen von Besuchern: auflisten, annehmen (über das Änderungsprotokoll), ablehnen",
        "python -m integra reports accept 12 --by Erika",
    )
    actions = queue.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="Meldungen, neueste zuerst (ohne E-Mail-Adressen)")
    listing.add_argument("--status", choices=list(REPORT_STATUSES))
    listing.add_argument("--json", action="store_true", help="als JSON-Liste")
    taking = actions.add_parser("accept", help="Meldung annehmen und anwenden")
    taking.add_argument("id", type=int)
    taking.add_argument("--by", required=True, help="wer entscheidet (für das Änderungsprotokoll)")
    refusing = actions.add_parser("reject", help="Meldung ablehnen (mit Begründung)")
    refusing.add_argument("id", type=int)
    refusing.add_argument("--by", required=True, help="wer entscheidet")
    refusing.add_argument("--why", required=True, help="Begründung")
    _command(
        commands,
        "hash-password",
        _cmd_hash_password,
        "Hash für das Redaktionspasswort erzeugen (secrets.toml)",
        "python -m integra hash-password",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SQLAlchemyError as exc:  # init, backup, undo-import, exports: no traceback with SQL and row values
        print(db_failure(exc), file=sys.stderr)
        return 1
