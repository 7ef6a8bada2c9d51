"""Widget groups of the "Daten hochladen" page: templates, column mapping, preview, apply, history.

The page script calls these in order after `login.editor_page`; every decision about data is made
in `integra.importer` and `integra.tabular`.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from integra import export, importer, tabular
from integra.columns import FIELDS, guess_mapping, personal_columns
from integra.formatting import counted, local_stamp, md_text
from integra.labels import labelled
from integra.maps import points_map
from integra.models import ImportRun
from integra.web import filters, mapframe, widgets
from integra.web.data import StoreKey, engine, kreis_options, store_key

NOT_USED = "— nicht verwenden —"
UPLOAD_GENERATION = "upload_generation"


def uploader_key() -> str:
    """The file chooser's key; a new one after each applied import empties it."""
    return f"upload_{st.session_state.get(UPLOAD_GENERATION, 0)}"


def templates() -> None:
    left, right = st.columns(2)
    left.download_button("Vorlage als CSV", export.template_csv(), "partner_vorlage.csv", "text/csv")
    right.download_button(
        "Vorlage als Excel",
        export.template_xlsx(),
        "partner_vorlage.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# Every click on the page reruns it; reading and checking a 10,000-row file takes 1–2 s, so the
# table and the plan are kept per file content (and, for the plan, per choices and data token).
@st.cache_data(max_entries=4, show_spinner="Datei wird gelesen …")
def _table(name: str, digest: str, sheet: str | None, _data: bytes) -> tabular.Table:
    return tabular.read_table(name, _data, sheet)


@st.cache_data(max_entries=8, show_spinner="Datei wird geprüft und mit dem Bestand verglichen …")
def _plan(
    key: StoreKey,
    name: str,
    digest: str,
    sheet: str | None,
    mapping: tuple[tuple[str, str | None], ...],
    mode: str,
    scope: str | None,
    consent: bool,
    only_valid: bool,
    _data: bytes,
) -> importer.Plan:
    table = _table(name, digest, sheet, _data)
    return importer.plan_import(engine(), table, _data, dict(mapping), mode, scope, consent, only_valid)


def _sheet(name: str, data: bytes) -> str | None:
    """The chosen sheet when an Excel file has several, else None."""
    if not name.lower().endswith(".xlsx"):
        return None
    sheets = tabular.excel_sheets(data, name)
    return st.selectbox("Tabellenblatt", sheets, key="sheet") if len(sheets) > 1 else None


def check_upload(name: str, data: bytes, user: str) -> None:
    """Steps 2–4 for an uploaded file: map columns, choose how to apply, preview, apply."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        sheet = _sheet(name, data)
        table = _table(name, digest, sheet, data)
    except tabular.FileRejected as exc:
        st.error(md_text(exc))
        return
    st.write(f"{len(table.rows)} Zeilen, Spalten: {md_text(', '.join(table.headers))}")
    mapping = mapping_editor(table, guess_mapping(table.headers))
    agreed = consent(table, mapping)
    mode, scope, only_valid = options()
    plan = _plan(store_key(), name, digest, sheet, tuple(mapping.items()), mode, scope, agreed, only_valid, data)
    show_plan(plan)
    apply_button(plan, user)


def mapping_editor(table: tabular.Table, guessed: dict[str, str | None]) -> dict[str, str | None]:
    """One select box per field, pre-set to the guess; the user corrects it before validation."""
    st.subheader("2. Spalten zuordnen")
    options = [NOT_USED, *table.headers]
    mapping = {}
    for i, (field, (label, _)) in enumerate(FIELDS.items()):
        if i % 4 == 0:  # a row of four: on a phone the rows stack in reading order (columns stacked scrambled it)
            cols = st.columns(4)
        guess = guessed.get(field)
        choice = cols[i % 4].selectbox(
            label + (" *" if field == "name" else ""),
            options,
            index=options.index(guess) if guess in options else 0,
            key=f"map_{field}",
        )
        mapping[field] = None if choice == NOT_USED else choice
    return mapping


def consent(table: tabular.Table, mapping: dict[str, str | None]) -> bool:
    personal = personal_columns(table.headers, mapping)
    if not personal:
        return False
    st.warning(
        "Diese Spalten sehen nach persönlichen Daten aus und werden **nicht** gespeichert: "
        f"{md_text(', '.join(personal))}."
    )
    return st.checkbox(
        "Die genannten Personen haben der Veröffentlichung zugestimmt – Spalten als Kontakt speichern", key="consent"
    )


def show_plan(plan: importer.Plan) -> None:
    """Counts, problems and the changes field by field, with the new points on a small map."""
    st.subheader("4. Vorschau")
    cols = st.columns(5)
    cols[0].metric("neu", len(plan.inserts))
    cols[1].metric("geändert", len(plan.updates))
    cols[2].metric("unverändert", len(plan.unchanged))
    cols[3].metric("werden entfernt", len(plan.removals))
    cols[4].metric("Zeilen mit Fehlern", len({p.row for p in plan.errors}))
    if plan.errors:
        rows = len({p.row for p in plan.errors})
        if plan.only_valid:
            st.warning(
                f"{counted(rows, 'Zeile', 'Zeilen')} mit Fehlern in {md_text(plan.file_name)} werden "
                "übersprungen, alle anderen übernommen."
            )
        else:
            st.error(
                f"{len(plan.errors)} Fehler in {md_text(plan.file_name)}. Ohne „nur gültige Zeilen übernehmen“ "
                "wird nichts übernommen."
            )
        widgets.table(importer.problems_frame(plan.errors), "errors_table")
    if plan.warnings:
        with st.expander(counted(len(plan.warnings), "Hinweis", "Hinweise")):
            widgets.table(importer.problems_frame(plan.warnings), "warnings_table")
    new, changed, same, removed = st.tabs(["Neu", "Geändert", "Unverändert", "Entfernt"])
    with new:
        frame = importer.preview_frame(plan.inserts)
        widgets.table(_shown(frame), "new_table")
        if len(frame):
            mapframe.show_inline(
                points_map(frame, filters.current_basemap()),
                320,
                "Karte der neuen Partner aus der Datei (dieselben darüber)",
            )
    with changed:
        widgets.table(importer.changes_frame(plan), "changed_table")
    with same:
        widgets.table(_shown(importer.preview_frame(plan.unchanged)), "same_table")
    with removed:
        widgets.table(_shown(pd.DataFrame(plan.removals, columns=[*importer.DATA_FIELDS, "id"])), "removed_table")


_PREVIEW_FIELDS = ("name", "type", "street", "plz", "city", "gemeinde", "kreis", "precision", "website", "source_url")


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The preview's columns under their German labels, with the file's row number first where known."""
    rows = ["Zeile"] if "Zeile" in frame.columns else []
    return labelled(frame, (*rows, *_PREVIEW_FIELDS))


def history(user: str) -> None:
    st.subheader("Import-Historie")
    runs = importer.history(engine())
    if not runs:
        st.caption("Noch keine Importe.")
        return
    widgets.table(
        pd.DataFrame(
            [
                {
                    "Nr.": r.id,
                    "Datei": r.file_name,
                    "Zeit": local_stamp(r.created_at),
                    "wer": r.user_name,
                    "Modus": importer.MODE_LABELS.get(r.mode, r.mode),
                    "neu": r.inserted,
                    "geändert": r.updated,
                    "entfernt": r.removed,
                    "übersprungen": r.skipped,
                    "rückgängig": f"{local_stamp(r.undone_at)} ({r.undone_by})" if r.undone_at else None,
                    "SHA-256": r.sha256[:12],
                }
                for r in runs
            ]
        ),
        "history_table",
    )
    open_runs = {r.id: r for r in runs if r.undone_at is None}  # newest first
    if not open_runs:
        return
    newest = next(iter(open_runs))
    # The key names the newest import: after every import the choice starts at the newest again
    # (it used to keep an older pre-selected one, and one click reverted the wrong import).
    chosen = st.selectbox(
        "Import rückgängig machen",
        list(open_runs),
        key=f"undo_id_{newest}",
        format_func=lambda run_id: _run_label(open_runs[run_id]),
    )
    confirmed = st.checkbox(f"Ja, Import Nr. {chosen} rückgängig machen", key=f"undo_confirm_{chosen}_{newest}")
    if st.button("Rückgängig machen", key="undo_button", disabled=not confirmed):
        with widgets.attempt() as done:
            importer.undo_import(engine(), chosen, user)
        if done.ok:
            widgets.saved(f"Import Nr. {chosen} ({open_runs[chosen].file_name}) rückgängig gemacht.")


def _run_label(run: ImportRun) -> str:
    return (
        f"Nr. {run.id} – {run.file_name} – {local_stamp(run.created_at)} – {run.inserted} neu, "
        f"{run.updated} geändert, {run.removed} entfernt"
    )


def options() -> tuple[str, str | None, bool]:
    """Mode, replace scope (a Kreis AGS or None for the file's types) and the skip-errors choice."""
    st.subheader("3. Übernahme")
    mode = st.radio(
        "Modus",
        list(importer.MODE_LABELS),
        format_func=importer.MODE_LABELS.get,
        horizontal=True,
        key="mode",
        help="„Liste ersetzen“ entfernt Partner, die in der Liste fehlen.",
    )
    scope = None
    if mode == importer.MODE_REPLACE:
        kreise = kreis_options()
        choice = st.selectbox("Ersetzen für", ["alle Partner der Typen in der Datei", *kreise], key="scope")
        scope = kreise.get(choice)
    return mode, scope, st.checkbox("nur gültige Zeilen übernehmen", key="only_valid")


def apply_button(plan: importer.Plan, user: str) -> None:
    """Apply exactly what the last preview showed; refuse if the store changed in between."""
    previewed = st.session_state.get("previewed_version")
    if st.button("Übernehmen", type="primary", disabled=not plan.can_apply, key="apply"):
        run_id = None
        with widgets.attempt() as done:
            if previewed is not None and previewed != plan.base_version:
                raise importer.ImportRefused(
                    "Die Daten wurden inzwischen geändert – die Vorschau ist jetzt "
                    "aktualisiert, bitte prüfen und erneut übernehmen."
                )
            run_id = importer.apply_import(engine(), plan, user)
        if done.ok:
            st.session_state.pop("previewed_version", None)
            # A new file chooser: the applied preview is gone, and a second click cannot apply it again.
            st.session_state[UPLOAD_GENERATION] = st.session_state.get(UPLOAD_GENERATION, 0) + 1
            widgets.saved(
                f"Import {run_id} übernommen: {len(plan.inserts)} neu, {len(plan.updates)} geändert, "
                f"{len(plan.removals)} entfernt. Karte und Tabellen zeigen die neuen Daten."
            )
    st.session_state["previewed_version"] = plan.base_version
