"""Widget groups of the "Redaktion" page: concept form, KIZ form, concept list, change log, backups."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from integra import backup, editing, queries, tabular, ui
from integra.editing import ConceptChange
from integra.formatting import md_text
from integra.store import db_failure
from integra.importer import ImportRefused, problems_frame
from integra.vocab import CONCEPT_STATUSES, KIZ_STATUSES

_SAVED = "redaktion_meldung"


def _saved(message: str) -> None:
    """Confirm after the rerun (the new data token refreshes every cached table by itself)."""
    st.session_state[_SAVED] = message
    st.rerun()


def flash() -> None:
    if message := st.session_state.pop(_SAVED, None):
        st.success(md_text(message))


def concept_form(user: str) -> None:
    regions = queries.editable_regions(ui.engine())
    with st.form("concept_form"):
        label = st.selectbox("Kreis oder Gemeinde", list(regions), key="concept_region")
        status = st.selectbox("Status", CONCEPT_STATUSES, key="concept_status")
        title = st.text_input("Titel des Konzepts", key="concept_title")
        year = st.number_input("Jahr (leer = unbekannt)", min_value=1950, max_value=dt.date.today().year, value=None,
                               step=1, key="concept_year")  # fmt: skip
        source = st.text_input(
            "Quelle (URL)", key="concept_source", help="Ohne Quelle wird der Eintrag „ohne Quelle“ angezeigt."
        )
        note = st.text_area("Notiz", key="concept_note")
        if st.form_submit_button("Konzept speichern", type="primary"):
            change = ConceptChange(regions[label], status, title or None, int(year) if year else None, source or None,
                                   note or None)  # fmt: skip
            try:
                editing.set_concept(ui.engine(), change, user)
            except ImportRefused as exc:
                st.error(md_text(exc))
            else:
                _saved(f"Gespeichert: {label} – {status}" + ("" if source else " (ohne Quelle)"))


def kiz_form(user: str) -> None:
    kreise = ui.kreis_options()
    centres = ui.centres_all()
    existing = {f"{r.name} ({r.kreis}, {r.status})": int(r.id) for r in centres.itertuples()}
    choice = st.selectbox("KIZ", ["– neuer Vorschlag –", *existing], key="kiz_choice")
    kiz_id = existing.get(choice)
    current = centres[centres["id"] == kiz_id].iloc[0] if kiz_id else None
    with st.form("kiz_form"):
        names = list(kreise)
        kreis = st.selectbox("Kreis", names, key="kiz_kreis",
                             index=names.index(current["kreis"]) if current is not None else 0)  # fmt: skip
        status = st.selectbox("Status", KIZ_STATUSES, key="kiz_status",
                              index=KIZ_STATUSES.index(current["status"]) if current is not None else 0)  # fmt: skip
        name = st.text_input("Name", value=current["name"] if current is not None else "", key="kiz_name")
        place = st.text_input("Ort (Gemeinde, für das Symbol auf der Karte; leer = Kreismitte)", key="kiz_place")
        source = st.text_input("Quelle (URL)", key="kiz_source")
        note = st.text_area("Notiz", key="kiz_note")
        if st.form_submit_button("KIZ speichern", type="primary"):
            try:
                editing.save_kiz(ui.engine(), kreise[kreis], status, name, user, place or None, note or None,
                                 source or None, kiz_id)  # fmt: skip
            except ImportRefused as exc:
                st.error(md_text(exc))
            else:
                _saved(f"KIZ gespeichert: {name} ({kreis}, {status})")


def concept_list(user: str) -> None:
    st.caption("CSV oder Excel mit den Spalten „AGS“ oder „Name“, „Status“ und wahlweise „Titel“, „Jahr“, „Quelle“, "
               "„Notiz“. Alle Zeilen werden zusammen übernommen – oder keine.")  # fmt: skip
    uploaded = st.file_uploader("Konzeptliste", type=["csv", "xlsx"], key="concept_upload")
    if uploaded is None:
        return
    try:
        table = tabular.read_table(uploaded.name, uploaded.getvalue())
    except tabular.FileRejected as exc:
        st.error(md_text(exc))
        return
    changes, errors = editing.read_concept_list(ui.engine(), table)
    if errors:
        st.error(f"{len(errors)} Fehler – nichts übernommen.")
        st.dataframe(problems_frame(errors), hide_index=True)
        return
    st.write(f"{len(changes)} Änderungen bereit.")
    if st.button("Konzeptliste übernehmen", type="primary", key="apply_concepts"):
        try:
            editing.set_concepts(ui.engine(), changes, user)
        except ImportRefused as exc:
            st.error(md_text(exc))
        else:
            _saved(f"{len(changes)} Konzepte aus {uploaded.name} übernommen.")


def change_log(user: str) -> None:
    log = editing.history(ui.engine())
    if log.empty:
        st.caption("Noch keine Änderungen.")
        return
    st.dataframe(log.drop(columns="batch"), hide_index=True, key="edit_log")
    open_batches = log[log["rückgängig"].isna()]
    if open_batches.empty:
        return
    labels = {f"{r.Zeit:%d.%m.%Y %H:%M} {r.wer}: {r.was}": r.batch for r in open_batches.itertuples()}
    chosen = st.selectbox("Änderung rückgängig machen", list(labels), key="undo_edit")
    if st.button("Rückgängig machen", key="undo_edit_button"):
        try:
            editing.undo_batch(ui.engine(), labels[chosen], user)
        except ImportRefused as exc:
            st.error(md_text(exc))
        else:
            _saved("Änderung rückgängig gemacht.")


def backups(user: str) -> None:
    st.download_button("Sicherung herunterladen", lambda: backup.dump(ui.engine()),
                       f"integrationslandkarte_{dt.date.today():%Y-%m-%d}.json.gz", "application/gzip",
                       key="backup_download", on_click="ignore")  # fmt: skip
    uploaded = st.file_uploader("Sicherung einspielen (ersetzt alle Daten)", type=["gz"], key="restore_upload")
    if uploaded is not None and st.button("Sicherung einspielen", type="primary", key="restore_button"):
        try:
            counts = backup.restore(ui.engine(), uploaded.getvalue())
        except backup.BackupRejected as exc:
            st.error(md_text(f"{uploaded.name}: {exc} Nichts geändert."))
        except SQLAlchemyError as exc:
            st.error(md_text(f"{uploaded.name}: {db_failure(exc)} Nichts geändert."))
        else:
            _saved(
                f"Sicherung {uploaded.name} eingespielt ({counts['partners']} Partner, {counts['concepts']} Konzepte)."
            )
