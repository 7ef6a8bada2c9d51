"""Property tests: random and mutated files always end in a report or a clear error, and a
rejected import leaves the database file byte-for-byte as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integra import importer
from integra.importer import ImportRefused
from integra.store import make_engine
from integra.tabular import FileRejected, read_table

FILES = Path(__file__).parent / "files"
SAMPLES = [p.read_bytes() for p in sorted(FILES.glob("*.csv"))]
NAMES = st.sampled_from(["liste.csv", "liste.xlsx", "liste.txt", "liste", "liste.CSV"])


def _import(engine, name: str, data: bytes) -> importer.Plan | None:
    """The importer's whole path; returns the plan, or None when the file was rejected with a message."""
    try:
        table = read_table(name, data)
    except FileRejected as exc:
        assert str(exc).startswith(name) and len(str(exc)) > len(name) + 5
        return None
    plan = importer.plan_import(engine, table, data)
    for problem in plan.errors + plan.warnings:
        assert problem.message and problem.column is not None
        assert problem.row is None or problem.row in table.row_numbers
    return plan


@st.composite
def mutated(draw) -> bytes:
    """A real partner list with bytes flipped, inserted or cut."""
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["flip", "insert", "cut"]))
        if action == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif action == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[pos : pos + draw(st.integers(1, 20))]
    return bytes(data)


cells = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
rows = st.lists(st.lists(cells, min_size=1, max_size=6), min_size=0, max_size=6)


@st.composite
def random_csv(draw) -> bytes:
    header = draw(
        st.lists(st.sampled_from(["Name", "PLZ", "Ort", "Lat", "Lon", "Typ", "x", ""]), min_size=1, max_size=6)
    )
    sep = draw(st.sampled_from([";", ",", "\t"]))
    lines = [sep.join(header)] + [sep.join(r) for r in draw(rows)]
    return "\n".join(lines).encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), errors="replace")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, data=st.one_of(st.binary(max_size=300), mutated(), random_csv()))
def test_any_file_ends_in_a_report_or_a_clear_error(engine, name, data):
    _import(engine, name, data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(mutated(), random_csv()))
def test_a_rejected_import_leaves_the_database_file_unchanged(seeded_template, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("prop") / "integra.sqlite3"
    shutil.copy(seeded_template, path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    engine = make_engine(f"sqlite:///{path}")
    try:
        plan = _import(engine, "liste.csv", data)
        if plan is not None and not plan.can_apply:
            try:
                importer.apply_import(engine, plan, "hypothesis")
                raise AssertionError("a plan that cannot apply was applied")
            except ImportRefused:
                pass
    finally:
        engine.dispose()
    if plan is None or not plan.can_apply:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
