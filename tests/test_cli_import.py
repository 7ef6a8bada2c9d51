"""`python -m integra import-partners / undo-import / export-partners` as admins run them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from integra import queries
from integra.config import PROJECT_DIR
from integra.store import make_engine

FILES = Path(__file__).parent / "files"


def cli(db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {"INTEGRA_DATABASE_URL": db_url, "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "integra", *args], cwd=PROJECT_DIR, env=env, capture_output=True, timeout=120
    )


def test_import_json_dry_run_apply_and_undo(db_url, tmp_path):
    file = str(FILES / "partner_cp1252_semikolon.csv")
    dry = cli(db_url, "import-partners", file, "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout) == {
        "inserted": 3,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
        "errors": [],
        "warnings": [],
        "applied": False,
    }
    applied = json.loads(cli(db_url, "import-partners", file, "--json", "--user", "kv-wuerzburg").stdout)
    assert applied["applied"] and applied["inserted"] == 3
    changed = tmp_path / "geaendert.csv"
    changed.write_bytes(Path(file).read_bytes().replace(b"Franziskanergasse 3", b"Franziskanergasse 5"))
    again = json.loads(cli(db_url, "import-partners", str(changed), "--json").stdout)
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 1, 2)
    undone = cli(db_url, "undo-import", "1")
    assert undone.returncode == 1 and b"sp\xc3\xa4tere Importe (2)" in undone.stderr
    assert cli(db_url, "undo-import", "2").returncode == 0
    assert cli(db_url, "undo-import", "1").returncode == 0
    final = json.loads(cli(db_url, "import-partners", file, "--dry-run", "--json").stdout)
    assert final["inserted"] == 3  # back to the state before the first import


def test_rejected_file_exits_1_and_usage_error_exits_2(db_url, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Name;PLZ;Ort\nHelferkreis;10115;Berlin\n", encoding="utf-8")
    result = cli(db_url, "import-partners", str(bad), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["applied"] is False
    assert report["errors"] == [{"row": 2, "column": "PLZ", "message": "PLZ 10115 liegt nicht in Bayern"}]
    binary = tmp_path / "bild.csv"
    binary.write_bytes(b"\x89PNG\x00\x00")
    assert (
        "Binärdaten" in json.loads(cli(db_url, "import-partners", str(binary), "--json").stdout)["errors"][0]["message"]
    )
    assert cli(db_url, "import-partners").returncode == 2
    assert cli(db_url, "import-partners", str(bad), "--mode", "alles").returncode == 2


@pytest.fixture
def formula_partner(db_url, tmp_path):
    file = tmp_path / "formeln.csv"
    file.write_text('Name;Straße;PLZ;Ort\n=HYPERLINK("http://x");+49 951 1;96047;Bamberg\n', encoding="utf-8")
    assert cli(db_url, "import-partners", str(file)).returncode == 0
    return db_url


def test_csv_export_is_excel_ready_and_neutralises_formulas(formula_partner):
    out = cli(formula_partner, "export-partners", "--format", "csv", "--regbez", "Oberfranken").stdout
    assert out.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8-sig")), delimiter=";"))
    names = {r["Name"] for r in rows}
    assert '\'=HYPERLINK("http://x")' in names and "Caritasverband für die Erzdiözese Bamberg e.V." in names
    assert {r["Regierungsbezirk"] for r in rows} == {"Oberfranken"}
    assert next(r for r in rows if r["Name"].startswith("'="))["Straße"] == "'+49 951 1"


def test_xlsx_and_geojson_export(formula_partner, tmp_path):
    xlsx = tmp_path / "p.xlsx"
    xlsx.write_bytes(cli(formula_partner, "export-partners", "--format", "xlsx").stdout)
    sheet = openpyxl.load_workbook(xlsx).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert '\'=HYPERLINK("http://x")' in values and not any(v.startswith("=") for v in values)
    geo = json.loads(cli(formula_partner, "export-partners", "--format", "geojson").stdout)
    assert len(geo["features"]) == len(queries.partners(make_engine(formula_partner)))
    point = next(f for f in geo["features"] if f["properties"]["name"].startswith("=HYPERLINK"))
    assert point["geometry"]["type"] == "Point" and 10.8 < point["geometry"]["coordinates"][0] < 11


def test_two_imports_at_the_same_time_both_land(db_url, tmp_path):
    files = []
    for n in range(2):
        rows = "".join(f"Testkreis {n}-{i};Helferkreis;;96047;Bamberg\n" for i in range(300))
        path = tmp_path / f"liste{n}.csv"
        path.write_text("Name;Träger;Straße;PLZ;Ort\n" + rows, encoding="utf-8")
        files.append(path)
    env = {"INTEGRA_DATABASE_URL": db_url, "PATH": "/usr/bin:/bin"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "integra", "import-partners", str(f), "--json"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for f in files
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert all(json.loads(out)["inserted"] == 300 for out, _ in results)
    count = json.loads(cli(db_url, "import-partners", str(files[0]), "--dry-run", "--json").stdout)
    assert count["unchanged"] == 300
    from sqlalchemy import create_engine, text

    with create_engine(db_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM partners WHERE name LIKE 'Testkreis %-%'")).scalar() == 600
        assert conn.execute(text("SELECT count(*) FROM import_runs")).scalar() == 2
        if conn.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_help_never_shows_the_database_password():
    env = {"INTEGRA_DATABASE_URL": "postgresql+psycopg://integra:GEHEIM-123@db.example.org/integra", "PATH": "/usr/bin"}
    shown = subprocess.run([sys.executable, "-m", "integra", "--help"], cwd=PROJECT_DIR, env=env, capture_output=True)
    assert shown.returncode == 0 and b"db.example.org" in shown.stdout and b"GEHEIM" not in shown.stdout


def test_export_kreise_as_csv_and_geojson(db_url, engine):
    from integra import queries

    table = cli(db_url, "export-kreise", "--regbez", "Oberfranken")
    rows = list(csv.reader(io.StringIO(table.stdout.decode("utf-8-sig")), delimiter=";"))
    assert table.returncode == 0 and rows[0][:3] == ["Kreis", "Regierungsbezirk", "Konzept"]
    assert len(rows) - 1 == len(queries.kreise(engine, "Oberfranken"))
    shapes = json.loads(cli(db_url, "export-kreise", "--format", "geojson").stdout)
    assert len(shapes["features"]) == 96


def test_export_map_as_offline_html_and_16_9_png(db_url, tmp_path):
    from PIL import Image

    html, png = tmp_path / "karte.html", tmp_path / "karte.png"
    assert cli(db_url, "export-map", "--regbez", "Schwaben", "--offline", "--out", str(html)).returncode == 0
    assert "integra-legend" in html.read_text(encoding="utf-8") and "tile.openstreetmap" not in html.read_text()
    assert cli(db_url, "export-map", "--format", "png", "--wide", "--out", str(png)).returncode == 0
    with Image.open(png) as image:
        assert abs(image.width / image.height - 16 / 9) < 0.01


def test_import_concepts_all_or_nothing(db_url, engine, tmp_path):
    from integra import queries

    good = tmp_path / "konzepte.csv"
    good.write_text(
        "AGS;Status;Titel;Jahr;Quelle\n09471;vorhanden;Integrationskonzept;2024;https://www.example.org/k\n",
        encoding="utf-8",
    )
    done = cli(db_url, "import-concepts", str(good), "--user", "Test")
    assert done.returncode == 0, done.stderr
    assert queries.kreise(engine).set_index("ags").loc["09471", "status"] == "vorhanden"
    bad = tmp_path / "kaputt.csv"
    bad.write_text("AGS;Status\n09464;keines\n09471;gut\n", encoding="utf-8")
    before = queries.kreise(engine).set_index("ags").loc["09464", "status"]
    refused = cli(db_url, "import-concepts", str(bad))
    assert refused.returncode == 1 and "Zeile 3, Spalte Status" in refused.stderr.decode()
    assert queries.kreise(engine).set_index("ags").loc["09464", "status"] == before  # nothing of the file applied
