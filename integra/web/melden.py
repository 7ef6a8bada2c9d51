"""The public "Melden" page: anybody reports a concept status, a partner or something else about an area.

No login: this is the one write path without a password, so the page adds what the store cannot see
(a hidden honeypot field, a limit per browser session) to the checks of `integra.reports`, and says
plainly that nothing appears on the map before an editor has checked it.
"""

from __future__ import annotations

import time

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from integra import reports
from integra.formatting import is_blank, md_text
from integra.reports import ConceptReport, InitiativeReport, NoteReport, PartnerReport, Reporter, ReportRefused
from integra.store import db_failure
from integra.vocab import INITIATIVE_ASKS, INITIATIVE_STATUSES, PARTNER_TYPES, status_label
from integra.web import data, widgets
from integra.web.filters import url_note
from integra.web.links import AREA, PARTNER

PER_SESSION = 5  # reports per browser session …
WINDOW_SECONDS = 600  # … within ten minutes
KINDS = {"Konzeptstatus": "konzept", "Partner": "partner", "Antrag": "initiative", "Etwas anderes": "sonstiges"}
_SENT = "melden_sent"
# The honeypot: a field people never see (CSS) and bots fill in.
_HIDDEN_CSS = "<style>.st-key-melden_homepage {position: absolute; left: -9999px; height: 0; overflow: hidden;}</style>"


def _too_many() -> bool:
    """True once this browser session sent PER_SESSION reports within WINDOW_SECONDS."""
    now = time.monotonic()
    recent = [sent for sent in st.session_state.get(_SENT, []) if now - sent < WINDOW_SECONDS]
    st.session_state[_SENT] = recent
    return len(recent) >= PER_SESSION


def _area(regions: dict[str, str]) -> str:
    """The area chooser, preselected from the address (by AGS)."""
    by_ags = {ags: label for label, ags in regions.items()}
    wanted = st.query_params.get(AREA)
    url_note({AREA: list(by_ags)})
    labels = list(regions)
    index = labels.index(by_ags[wanted]) if wanted in by_ags else None
    label = st.selectbox(
        "Kreis, kreisfreie Stadt oder Gemeinde",
        labels,
        index=index,
        key="melden_area",
        placeholder="Gebiet wählen (Name eintippen)",
    )
    return regions[label] if label else ""


PARTNER_ACTIONS = {
    "Neuer Partner": reports.NEW,
    "Angaben korrigieren": reports.CORRECTION,
    "Gibt es nicht mehr": reports.GONE,
}


def _partner_choice() -> tuple[str, dict | None]:
    """What the report says about a partner, and which stored one (None: a new partner).

    Outside the form, so choosing a partner fills the fields below with what is stored.
    """
    partners = data.all_partners()
    by_id = {str(pid): i for i, pid in enumerate(partners["id"])}
    wanted = st.query_params.get(PARTNER)
    url_note({PARTNER: list(by_id)})
    action = PARTNER_ACTIONS[
        st.radio(
            "Was ist mit dem Partner?",
            list(PARTNER_ACTIONS),
            index=1 if wanted in by_id else 0,
            horizontal=True,
            key="melden_action",
        )
    ]
    if action == reports.NEW:
        return action, None
    labels = [f"{name} ({city or gemeinde})" for name, city, gemeinde in partners[["name", "city", "gemeinde"]].values]
    chosen = st.selectbox(
        "Welcher Partner?",
        range(len(labels)),
        index=by_id.get(wanted or ""),
        format_func=labels.__getitem__,
        key="melden_partner",
        placeholder="Partner wählen (Name eintippen)",
    )
    return action, None if chosen is None else partners.iloc[chosen].to_dict()


def _partner_fields(stored: dict | None) -> dict[str, str]:
    """Name, type, address and website; a correction starts from what is stored (keys per partner, so
    choosing another partner fills them anew)."""
    stored = stored or {}
    suffix = stored.get("id", "neu")

    def text(field: str, label: str) -> str:
        value = stored.get(field)
        return st.text_input(
            label,
            value="" if is_blank(value) else str(value),
            key=f"melden_{field}_{suffix}",
            max_chars=reports.LIMITS[field],
        )

    name = text("name", "Name der Organisation oder Gruppe")
    kind = st.selectbox(
        "Typ",
        PARTNER_TYPES,
        index=PARTNER_TYPES.index(stored["type"]) if stored.get("type") in PARTNER_TYPES else None,
        key=f"melden_type_{suffix}",
        placeholder="Typ wählen",
    )
    street = text("street", "Straße und Hausnummer (wenn bekannt)")
    plz_column, city_column = st.columns([1, 2])
    with plz_column:
        plz = text("plz", "PLZ")
    with city_column:
        city = text("city", "Ort")
    website = text("website", "Webseite (wenn vorhanden)")
    return {"name": name, "type": kind or "", "street": street, "plz": plz, "city": city, "website": website}


def _motion_fields() -> dict:
    """A motion in a council of the chosen area: its title, what it asks, its state, date and document."""
    asks = list(INITIATIVE_ASKS.values())
    title = st.text_input("Titel des Antrags", key="melden_motion_title", max_chars=reports.LIMITS["title"])
    left, right = st.columns(2)
    asked = left.selectbox("Antrag auf", asks, key="melden_motion_asks")
    status = right.selectbox("Stand", INITIATIVE_STATUSES, index=1, key="melden_motion_status")
    filed_on = st.date_input(
        "Datum (Einreichung oder Sitzung, wenn bekannt)", value=None, format="DD.MM.YYYY", key="melden_motion_date"
    )
    document = st.text_input(
        "Dokument im Ratsinformationssystem (Internetadresse, wenn öffentlich)",
        key="melden_motion_document",
        max_chars=reports.LIMITS["document_url"],
    )
    return {
        "title": title,
        "asks": list(INITIATIVE_ASKS)[asks.index(asked)],
        "status": status,
        "filed_on": filed_on,
        "document_url": document,
    }


def report_form() -> None:
    """The form; a sent report is confirmed with its number and the promise of a review."""
    regions = data.regions()
    wanted_kind = "Partner" if st.query_params.get(PARTNER) else "Konzeptstatus"
    kind = KINDS[
        st.segmented_control("Was möchten Sie melden?", list(KINDS), default=wanted_kind, key="melden_kind")
        or wanted_kind
    ]
    action, stored = _partner_choice() if kind == "partner" else (None, None)
    st.html(_HIDDEN_CSS)
    with st.form("melden", clear_on_submit=False):
        ags = _area(regions) if kind != "partner" else ""
        if kind == "konzept":
            status = st.selectbox(
                "Stand des Integrationskonzepts",
                reports.REPORTED_STATUSES,
                format_func=status_label,
                key="melden_status",
            )
            title = st.text_input(
                "Titel des Konzepts (wenn bekannt)", key="melden_title", max_chars=reports.LIMITS["title"]
            )
            year = st.number_input(
                "Jahr des Beschlusses (wenn bekannt)",
                min_value=1950,
                max_value=2100,
                value=None,
                step=1,
                key="melden_year",
            )
            evidence = st.text_area(
                "Was steht in der Quelle? (kurz)", key="melden_evidence", max_chars=reports.LIMITS["evidence"]
            )
        elif kind == "partner" and action == reports.CORRECTION and stored is None:
            st.caption("Bitte oben den Partner wählen – dann stehen hier seine gespeicherten Angaben zum Korrigieren.")
        elif kind == "partner" and action != reports.GONE:
            fields = _partner_fields(stored)
        elif kind == "initiative":
            motion = _motion_fields()
        elif kind == "sonstiges":
            text = st.text_area("Ihre Meldung", key="melden_text", max_chars=reports.LIMITS["text"])
        source = st.text_input(
            "Quelle (Internetadresse, Pflicht)",
            key="melden_source",
            max_chars=reports.LIMITS["source_url"],
            help=(
                "Die Seite, auf der das steht: Kreistagsbeschluss, Pressemitteilung, Zeitungsartikel, die Seite des "
                "Partners …"
            ),
        )
        st.text_input("Homepage (bitte leer lassen)", key="melden_homepage")
        st.caption(
            "Freiwillig: Name oder Kreisverband und E-Mail-Adresse. Die E-Mail-Adresse sieht nur die Redaktion, "
            "für Rückfragen; sie wird nie gezeigt oder exportiert und gelöscht, sobald über die Meldung entschieden "
            "ist. Der Name erscheint nur, wenn Sie es unten ankreuzen."
        )
        name = st.text_input("Name oder Kreisverband", key="melden_name", max_chars=reports.LIMITS["reporter"])
        show = st.checkbox("Mein Name darf nach der Prüfung beim Eintrag stehen („gemeldet von …“)", key="melden_show")
        email = st.text_input("E-Mail für Rückfragen", key="melden_email", max_chars=reports.LIMITS["email"])
        sent = st.form_submit_button("Meldung senden", type="primary")
    if not sent:
        return
    if kind != "partner" and not ags:
        st.error("Gebiet: bitte einen Kreis, eine kreisfreie Stadt oder eine Gemeinde wählen")
        return
    if action in (reports.CORRECTION, reports.GONE) and stored is None:
        st.error("Partner: bitte oben den Partner wählen, um den es geht")
        return
    if _too_many():
        st.error(
            f"Sie haben in den letzten zehn Minuten schon {PER_SESSION} Meldungen geschickt – bitte etwas später "
            "weitermachen. Danke!"
        )
        return
    if st.session_state.get("melden_homepage"):  # a bot: it gets the same thanks and nothing is stored
        _sent("Danke! Ihre Meldung wartet jetzt auf die Redaktion.")
        return
    report: reports.Filed
    if kind == "konzept":
        report = ConceptReport(ags, status, source, title=title, year=int(year) if year else None, evidence=evidence)
    elif kind == "partner":
        partner_id = None if stored is None else int(stored["id"])
        report = (
            PartnerReport(source, partner_id=partner_id, gone=True)
            if action == reports.GONE
            else PartnerReport(
                source,
                fields["name"],
                fields["type"],
                fields["street"],
                fields["plz"],
                fields["city"],
                fields["website"],
                partner_id,
            )
        )
    elif kind == "initiative":
        report = InitiativeReport(ags, source_url=source, **motion)
    else:
        report = NoteReport(ags, text, source)
    try:
        number = reports.submit(data.engine(), report, Reporter(name, show, email))
    except ReportRefused as exc:  # a field to fix: the message names it
        st.error(md_text(exc))
        return
    except SQLAlchemyError as exc:
        st.error(md_text(f"{db_failure(exc)} Ihre Meldung wurde nicht gespeichert – bitte später noch einmal."))
        return
    _sent(
        f"Danke! Ihre Meldung Nr. {number} wartet jetzt auf die Redaktion. Auf der Karte erscheint sie erst, "
        "wenn jemand sie geprüft hat."
    )


# Kept after a report: what it was about and who sends (the next report is often on the same area).
_KEPT = {
    _SENT,
    "melden_kind",
    "melden_action",
    "melden_partner",
    "melden_area",
    "melden_name",
    "melden_show",
    "melden_email",
}


def _sent(thanks: str) -> None:
    """Count the report against the limit, empty the form's fields for the next one, and thank."""
    st.session_state[_SENT].append(time.monotonic())
    for key in [k for k in st.session_state if str(k).startswith("melden_") and k not in _KEPT]:
        del st.session_state[key]
    widgets.saved(thanks)
