"""Widget groups of the "Redaktion" page: concept form, KIZ form, concept list, change log, backups, the
queue of visitors' reports."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import pandas as pd
import streamlit as st

from integra import backup, editing, queries, reports, tabular
from integra.editing import ConceptChange, InitiativeChange, KizChange
from integra.formatting import counted, is_blank, local_stamp, md_text
from integra.importer import problems_frame
from integra.labels import labelled
from integra.vocab import (
    ALL_BAVARIA,
    CONCEPT_STATUSES,
    INITIATIVE_ASKS,
    INITIATIVE_STATUSES,
    KIZ_STATUSES,
    REGIERUNGSBEZIRKE,
)
from integra.web import data, widgets

log = logging.getLogger("integra")

_CONCEPT_FIELDS = ("concept_status", "concept_title", "concept_year", "concept_source", "concept_note")


def _load_concept(current: ConceptChange | None, ags: str) -> None:
    """Fill the form with the stored entry, so that saving a status never wipes title, year or source."""
    values = (
        (current.status, current.title, current.year, current.source_url, current.note)
        if current
        else ("unbekannt", None, None, None, None)
    )
    for key, value in zip(_CONCEPT_FIELDS, values, strict=True):
        st.session_state[key] = value if key in ("concept_status", "concept_year") else (value or "")
    st.session_state["concept_loaded"] = ags


def _describe(current: ConceptChange | None) -> str:
    if current is None:
        return "Aktuell: kein Eintrag (unbekannt)."
    parts = [
        current.status,
        current.title or "ohne Titel",
        str(current.year) if current.year else "Jahr unbekannt",
        f"Quelle: {current.source_url}" if current.source_url else "ohne Quelle",
    ]
    return "Aktuell: " + " · ".join(parts)


def concept_form(user: str) -> None:
    regions = queries.editable_regions(data.engine())
    label = st.selectbox("Kreis oder Gemeinde", list(regions), key="concept_region")
    ags = regions[label]
    current = editing.current_concept(data.engine(), ags)
    if st.session_state.get("concept_loaded") != ags:
        _load_concept(current, ags)
    st.caption(md_text(_describe(current)))
    with st.form("concept_form"):
        status = st.selectbox("Status", CONCEPT_STATUSES, key="concept_status")
        title = st.text_input("Titel des Konzepts", key="concept_title")
        year = st.number_input(
            "Jahr (leer = unbekannt)", min_value=1950, max_value=dt.date.today().year, step=1, key="concept_year"
        )
        source = st.text_input(
            "Quelle (URL)", key="concept_source", help="Ohne Quelle wird der Eintrag „ohne Quelle“ angezeigt."
        )
        note = st.text_area("Notiz", key="concept_note")
        drop_source = st.checkbox(
            "Die bisherige Quelle soll wirklich entfernt werden",
            key="concept_drop_source",
            disabled=not (current and current.source_url),
        )
        if st.form_submit_button("Konzept speichern", type="primary"):
            if current and current.source_url and not source.strip() and not drop_source:
                st.warning(
                    "Das Feld „Quelle“ ist leer: die bisherige Quelle würde entfernt. Bitte die Quelle "
                    "eintragen oder „bisherige Quelle entfernen“ ankreuzen."
                )
                return
            change = ConceptChange(
                ags,
                status,
                title.strip() or None,
                int(year) if year else None,
                source.strip() or None,
                note.strip() or None,
            )
            with widgets.attempt() as done:
                editing.set_concept(data.engine(), change, user)
            if done.ok:
                st.session_state.pop("concept_loaded", None)  # show the saved entry after the rerun
                widgets.saved(f"Gespeichert: {label} – {status}" + ("" if source.strip() else " (ohne Quelle)"))


def kiz_form(user: str) -> None:
    kreise = data.kreis_options()
    centres = data.centres_all()
    existing = {f"{r.name} ({r.kreis}, {r.status})": int(r.id) for r in centres.itertuples()}
    choice = st.selectbox("KIZ", ["– neuer Vorschlag –", *existing], key="kiz_choice")
    kiz_id = existing.get(choice)
    current = centres[centres["id"] == kiz_id].iloc[0] if kiz_id else None
    with st.form("kiz_form"):
        names = list(kreise)
        kreis = st.selectbox(
            "Kreis", names, key="kiz_kreis", index=names.index(current["kreis"]) if current is not None else 0
        )
        status = st.selectbox(
            "Status",
            KIZ_STATUSES,
            key="kiz_status",
            index=KIZ_STATUSES.index(current["status"]) if current is not None else 0,
        )
        name = st.text_input("Name", value=current["name"] if current is not None else "", key="kiz_name")
        place = st.text_input("Ort (Gemeinde, für das Symbol auf der Karte; leer = Kreismitte)", key="kiz_place")
        source = st.text_input("Quelle (URL)", key="kiz_source")
        note = st.text_area("Notiz", key="kiz_note")
        if st.form_submit_button("KIZ speichern", type="primary"):
            with widgets.attempt() as done:
                change = KizChange(kreise[kreis], status, name, place or None, note or None, source or None, kiz_id)
                editing.save_kiz(data.engine(), change, user)
            if done.ok:
                widgets.saved(f"KIZ gespeichert: {name} ({kreis}, {status})")


NEW_INITIATIVE = "– neuer Antrag –"


def initiative_form(user: str) -> None:
    """Enter or change a motion on its way (Initiativen); a decided concept motion offers its status change."""
    _concept_offers(user)
    regions = data.regions()
    by_ags = {ags: label for label, ags in regions.items()}
    initiatives = data.initiatives_all()
    existing = {f"{r.area}: {r.title} ({r.status})": int(r.id) for r in initiatives.itertuples()}
    choice = st.selectbox("Antrag", [NEW_INITIATIVE, *existing], key="initiative_choice")
    initiative_id = existing.get(choice)
    current = initiatives[initiatives["id"] == initiative_id].iloc[0] if initiative_id else None
    asks_labels = list(INITIATIVE_ASKS.values())
    # A form of its own per motion (choosing another one fills it anew) and per new one: after saving, the
    # form for the next motion starts empty (the filled one invited a second click, a duplicate).
    suffix = initiative_id or f"neu{st.session_state.get('initiative_new', 0)}"
    with st.form(f"initiative_form_{suffix}"):
        labels = list(regions)
        area = st.selectbox(
            "Kreis oder Gemeinde",
            labels,
            key=f"initiative_area_{suffix}",
            index=labels.index(by_ags[current["region_ags"]]) if current is not None else None,
            placeholder="Gebiet wählen (Name eintippen)",
        )
        title = st.text_input(
            "Titel des Antrags",
            value="" if current is None else current["title"],
            max_chars=300,
            key=f"initiative_title_{suffix}",
        )
        asks = st.selectbox(
            "Antrag auf",
            asks_labels,
            key=f"initiative_asks_{suffix}",
            index=list(INITIATIVE_ASKS).index(current["asks"]) if current is not None else 0,
        )
        status = st.selectbox(
            "Stand",
            INITIATIVE_STATUSES,
            key=f"initiative_status_{suffix}",
            index=INITIATIVE_STATUSES.index(current["status"]) if current is not None else 0,
        )
        filed_on = st.date_input(
            "Datum (Einreichung oder Sitzung)",
            key=f"initiative_date_{suffix}",
            value=None if current is None or is_blank(current["filed_on"]) else current["filed_on"],
            format="DD.MM.YYYY",
        )
        document = st.text_input(
            "Dokument im Ratsinformationssystem (URL, wenn öffentlich)",
            value="" if current is None or is_blank(current["document_url"]) else current["document_url"],
        )
        source = st.text_input(
            "Quelle (URL)",
            value="" if current is None or is_blank(current["source_url"]) else current["source_url"],
            key=f"initiative_source_{suffix}",
        )
        note = st.text_area("Notiz", value="" if current is None or is_blank(current["note"]) else current["note"])
        if st.form_submit_button("Antrag speichern", type="primary"):
            if not area:
                st.error("Kreis oder Gemeinde: bitte wählen")
                return
            asks_key = list(INITIATIVE_ASKS)[asks_labels.index(asks)]
            change = InitiativeChange(
                regions[area],
                title,
                asks_key,
                status,
                filed_on,
                document or None,
                source or None,
                note or None,
                initiative_id,
            )
            with widgets.attempt() as done:
                editing.save_initiative(data.engine(), change, user)
            if done.ok:
                st.session_state["initiative_new"] = st.session_state.get("initiative_new", 0) + 1
                widgets.saved(f"Antrag gespeichert: {area.split(' (')[0]} – {status}")


def _concept_offers(user: str) -> None:
    """A decided motion for a concept, where the map does not show one in the making yet: one click sets the
    status to "in Erarbeitung" with the motion as source (logged, undoable like every change)."""
    initiatives = data.initiatives_all()
    decided = initiatives[(initiatives["status"] == "beschlossen") & (initiatives["asks"] == "konzept")]
    statuses = data.concept_statuses()  # cached: read once per data state, not per motion and rerun
    for rec in decided.itertuples():
        if statuses.get(rec.region_ags) in ("vorhanden", "in Erarbeitung"):
            continue
        when = "" if is_blank(rec.filed_on) else f" am {pd.Timestamp(rec.filed_on):%d.%m.%Y}"
        st.info(
            md_text(
                f"Beschlossen{when}: „{rec.title}“ ({rec.body}, {rec.area}). Das Konzept ist damit in Arbeit – "
                "auf der Karte steht es noch nicht so."
            )
        )
        if st.button(
            f"Konzeptstatus {rec.area}: „in Erarbeitung“ setzen", key=f"offer_{rec.id}", icon=":material/check:"
        ):
            source = rec.document_url if not is_blank(rec.document_url) else rec.source_url
            change = ConceptChange(
                rec.region_ags,
                "in Erarbeitung",
                source_url=None if is_blank(source) else source,
                note=f"Beschluss des {rec.body}s{when}: {rec.title}",
            )
            with widgets.attempt() as done:
                editing.set_concept(data.engine(), change, user)
            if done.ok:
                widgets.saved(f"{rec.area}: Konzept „in Erarbeitung“ – im Änderungsprotokoll, rückgängig machbar.")


def concept_list(user: str) -> None:
    st.caption(
        "CSV oder Excel mit den Spalten „AGS“ oder „Name“, „Status“ und wahlweise „Titel“, „Jahr“, „Quelle“, "
        "„Notiz“. Alle Zeilen werden zusammen übernommen – oder keine."
    )
    uploaded = st.file_uploader("Konzeptliste", type=["csv", "xlsx"], key="concept_upload")
    if uploaded is None:
        return
    try:
        table = tabular.read_table(uploaded.name, uploaded.getvalue())
    except tabular.FileRejected as exc:
        st.error(md_text(exc))
        return
    changes, errors = editing.read_concept_list(data.engine(), table)
    if errors:
        st.error(f"{len(errors)} Fehler – nichts übernommen.")
        widgets.table(problems_frame(errors), "concept_errors")
        return
    st.write(f"{len(changes)} Änderungen bereit.")
    if st.button("Konzeptliste übernehmen", type="primary", key="apply_concepts"):
        with widgets.attempt(uploaded.name) as done:
            editing.set_concepts(data.engine(), changes, user)
        if done.ok:
            widgets.saved(f"{len(changes)} Konzepte aus {uploaded.name} übernommen.")


def change_log(user: str) -> None:
    edits = editing.history(data.engine())
    if edits.empty:
        st.caption("Noch keine Änderungen.")
        return
    stamped = edits.assign(
        created_at=edits["created_at"].map(local_stamp),
        undone_at=edits["undone_at"].map(local_stamp, na_action="ignore"),
    )
    widgets.table(labelled(stamped, editing.HISTORY_FIELDS[1:]), "edit_log")
    open_batches = edits[edits["undone_at"].isna()]
    if open_batches.empty:
        return
    labels = {f"{local_stamp(r.created_at)} {r.user_name}: {r.summary}": r.batch for r in open_batches.itertuples()}
    newest = next(iter(labels.values()))
    if st.session_state.get("undo_newest") != newest:  # a new change: offer it first, not the one chosen before
        st.session_state.pop("undo_edit", None)
        st.session_state["undo_newest"] = newest
    chosen = st.selectbox("Änderung rückgängig machen", list(labels), key="undo_edit")
    if st.button("Rückgängig machen", key="undo_edit_button"):
        with widgets.attempt() as done:
            editing.undo_batch(data.engine(), labels[chosen], user)
        if done.ok:
            widgets.saved("Änderung rückgängig gemacht.")


def backups(user: str) -> None:
    st.download_button(
        "Sicherung herunterladen",
        lambda: backup.dump(data.engine()),
        f"integrationslandkarte_{dt.date.today():%Y-%m-%d}.json.gz",
        "application/gzip",
        key="backup_download",
        on_click="ignore",
    )
    uploaded = st.file_uploader("Sicherung einspielen (ersetzt alle Daten)", type=["gz"], key="restore_upload")
    if uploaded is not None and st.button("Sicherung einspielen", type="primary", key="restore_button"):
        counts: dict[str, int] = {}
        with widgets.attempt(uploaded.name) as done:
            counts = backup.restore(data.engine(), uploaded.getvalue())
        if done.ok:
            log.warning("Sicherung %s eingespielt von %s: %s", uploaded.name, user, counts)  # who replaced all data
            widgets.saved(
                f"Sicherung {uploaded.name} eingespielt ({counts['partners']} Partner, {counts['concepts']} Konzepte)."
            )


_KIND_LABELS = {"konzept": "Konzeptstatus", "sonstiges": "Etwas anderes", "partner": "Partner", "initiative": "Antrag"}
QUEUE_SHOWN = 30  # reports laid out at once; the rest are counted (a flood must not make the page unusable)


def _text(value: object) -> str | None:
    """One cell of the comparison: text, or None for "–" (years and words in one column)."""
    return None if is_blank(value) else str(value)


_COMPARED = {
    "konzept": {"status": "Status", "title": "Titel", "year": "Jahr", "source_url": "Quelle", "evidence": "Beleg"},
    "partner": {**{f: reports.LABELS[f] for f in reports.PARTNER_FIELDS}, "source_url": "Quelle"},
    "initiative": {
        **{f: reports.LABELS[f] for f in ("title", "asks", "filed_on", "document_url", "source_url")},
        "status": "Stand",
    },
}
# How a reported motion's stored values read (its keys and ISO dates are for the store, not for people).
_SHOWN: dict[str, Callable[[str], str | None]] = {
    "asks": INITIATIVE_ASKS.get,
    "filed_on": lambda iso: f"{dt.date.fromisoformat(iso):%d.%m.%Y}",
}
_PARTNER_ACTIONS = {reports.NEW: "neu", reports.CORRECTION: "Korrektur", reports.GONE: "gibt es nicht mehr"}


def _compared(row: dict) -> pd.DataFrame:
    """The record as it stands beside what the visitor proposes (all as text, shown escaped by the grid)."""
    proposed, current = row["proposed"], row["current"] or {}
    if row["kind"] == "sonstiges":
        return pd.DataFrame({"Gemeldet": [proposed.get("text", "")], "Quelle": [row["source_url"]]})
    fields = _COMPARED[row["kind"]]
    gone = proposed.get("action") == reports.GONE
    reported = {} if gone else proposed
    if row["kind"] == "initiative":
        reported = {f: _SHOWN[f](v) if f in _SHOWN and v else v for f, v in proposed.items()}
    return pd.DataFrame(
        {
            "": list(fields.values()),
            "bisher": [_text(current.get(field)) for field in fields],
            "gemeldet": [
                _text(row["source_url"] if field == "source_url" else reported.get(field, "gibt es nicht mehr"))
                for field in fields
            ],
        }
    )


def _kind_label(row: dict) -> str:
    label = _KIND_LABELS[row["kind"]]
    return f"{label} ({_PARTNER_ACTIONS[row['proposed']['action']]})" if row["kind"] == "partner" else label


def _contact(row: dict) -> str:
    """Who reported, for the editors only: the name (and whether it may be shown), the e-mail for questions."""
    parts = []
    if row["reporter"]:
        shown = "darf beim Eintrag stehen" if row["show_reporter"] else "nicht öffentlich"
        parts.append(f"Gemeldet von {row['reporter']} ({shown})")
    if row["email"]:
        parts.append(f"Rückfragen an {row['email']} (nur für die Redaktion; gelöscht nach der Entscheidung)")
    return " · ".join(parts)


def report_queue(user: str) -> None:
    """Visitors' reports waiting for a decision, newest first; accepting writes through the change log."""
    rows = data.open_reports()
    left, right = st.columns(2)
    kind = left.selectbox("Art", ["alle", *_KIND_LABELS.values()], key="queue_kind")
    regbez = right.selectbox("Regierungsbezirk", (ALL_BAVARIA, *REGIERUNGSBEZIRKE), key="queue_regbez")
    rows = [
        row
        for row in rows
        if (kind == "alle" or _KIND_LABELS[row["kind"]] == kind) and regbez in (ALL_BAVARIA, row["regbez"])
    ]
    if not rows:
        st.caption("Keine Meldung wartet auf Prüfung (in dieser Auswahl).")
        return
    st.write(f"**{counted(len(rows), 'Meldung wartet', 'Meldungen warten')}** auf Prüfung, neueste zuerst.")
    for row in rows[:QUEUE_SHOWN]:
        with st.container(border=True, key=f"report_{row['id']}"):
            st.markdown(
                md_text(f"Nr. {row['id']} · {_kind_label(row)} · {row['region']} · eingegangen ")
                + local_stamp(dt.datetime.fromisoformat(row["created_at"]))
            )
            if row["changed"]:
                st.warning(
                    "Der Eintrag hat sich seit der Meldung geändert – bitte „bisher“ und „gemeldet“ vergleichen."
                )
            widgets.table(_compared(row), f"report_table_{row['id']}", cards=True)
            st.link_button("Quelle öffnen", row["source_url"], icon=":material/open_in_new:")
            if contact := _contact(row):
                st.text(contact)
            accept, why, reject = st.columns([1, 2, 1], vertical_alignment="bottom")
            if accept.button("Annehmen", key=f"accept_{row['id']}", type="primary"):
                with widgets.attempt() as done:
                    reports.accept(data.engine(), row["id"], user)
                if done.ok:
                    widgets.saved(
                        f"Meldung {row['id']} angenommen – "
                        + (
                            "in der Liste der Importe auf „Daten hochladen“, dort rückgängig machbar."
                            if row["kind"] == "partner"
                            else "im Änderungsprotokoll, rückgängig machbar."
                        )
                    )
            reason = why.text_input("Begründung (für Ablehnen)", key=f"why_{row['id']}")
            if reject.button("Ablehnen", key=f"reject_{row['id']}"):  # no reason: the German refusal says so
                with widgets.attempt() as done:
                    reports.reject(data.engine(), row["id"], user, reason)
                if done.ok:
                    widgets.saved(f"Meldung {row['id']} abgelehnt.")
    if len(rows) > QUEUE_SHOWN:
        st.caption(f"… und {len(rows) - QUEUE_SHOWN} weitere (nach der Entscheidung über diese rücken sie nach).")
