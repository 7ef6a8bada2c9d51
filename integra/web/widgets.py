"""Building blocks every page shares: page style, tables with downloads, Steckbrief links, footer, flash.

Pages stay thin: they lay out these blocks and pass them frames from `integra.web.data`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from integra import charts, export, factsheet, geodata
from integra.formatting import counted, local_stamp, md_text, short_name, shown
from integra.labels import LABELS
from integra.problems import Refused
from integra.store import db_failure
from integra.vocab import INITIATIVE_STATUSES
from integra.web import cards as phone_cards
from integra.web import data
from integra.web.filters import Filters, url_note
from integra.web.links import LINK_TEXT, STECKBRIEF, steckbrief_href, without_app_links

# Page-wide look: captions at 7:1 instead of Streamlit's 4.2:1 grey, headings that hyphenate (German
# with lang="de") instead of breaking mid-word on a phone, and wide tables as cards on a phone.
_PAGE_CSS = """<style>
[data-testid="stCaptionContainer"] {color: #3d4852;}
h1, h2, h3 {hyphens: auto; -webkit-hyphens: auto; overflow-wrap: break-word;}
@media (max-width: 640px) {
  h1 {font-size: 1.75rem !important;}  /* "Integrationslandkarte" broke mid-word at 44 px */
  [data-testid="stExpandSidebarButton"]::after {content: "Menü"; margin-left: 4px; font-weight: 600;}
}
.integra-cards {display: none;}
.integra-card {border: 1px solid #c9d1d8; border-radius: 6px; padding: 8px 10px; margin: 0 0 8px; font-size: 15px;
               line-height: 1.45; overflow-wrap: anywhere;}
.integra-card span {color: #3d4852;}
@media (max-width: 640px) {
  [class*="st-key-cards_"] [data-testid="stDataFrame"] {display: none;}
  [class*="st-key-cards_"] .integra-cards {display: block;}
}
</style>"""


def page_style() -> None:
    """Once per page run (app.py)."""
    st.html(_PAGE_CSS)


def footer() -> None:
    """Sources, licences and how old the data is; shown under every page."""
    age = data.data_age()
    checked = age.concepts_checked_to.strftime("%d.%m.%Y") if age.concepts_checked_to else "unbekannt"
    changed = f"{local_stamp(age.last_change)} Uhr" if age.last_change else "unbekannt"
    st.divider()
    st.caption(
        f"**Datenstand:** Recherche zu Konzepten geprüft am {checked}; letzte Änderung im Datenbestand {changed}; "
        f"Einwohnerzahlen Stand {pd.Timestamp(geodata.POPULATION_DATE):%d.%m.%Y}; "
        f"Verwaltungsgrenzen Stand {pd.Timestamp(geodata.GEODATA_DATE):%d.%m.%Y}. "
        "Jeder Eintrag nennt seine Quelle und deren Verlässlichkeit; „unbekannt“ heißt: in den durchsuchten "
        "Quellen nichts gefunden."
    )
    st.caption(geodata.ATTRIBUTION)


CARD_COLUMNS = 3  # tables wider than this are shown as cards on a phone


PLAIN_NUMBERS = (
    LABELS["year"],
    LABELS["source_year"],
    "Rang",
    "Zeile",
    "Nr.",
)  # numbers that are names, not amounts: no digit grouping


def table(
    frame: pd.DataFrame,
    key: str,
    links: Sequence[str] = (),
    empty: str | None = None,
    cards: bool = False,
    **options: Any,
) -> None:
    """Every table of the app: no index, "–" for missing values, `links` as link columns, and the
    hint `empty` above it when a filter left no row. On a phone a table of more than CARD_COLUMNS
    columns (or any, with `cards`: long texts) is shown as cards."""
    if empty and frame.empty:
        st.info(empty)
    display = shown(frame, links)
    # German digit grouping and decimal comma where the browser is German ("141.029", "0,6"); years stay "2019".
    config = {
        column: st.column_config.NumberColumn(column, format="localized")
        for column in display.columns
        if pd.api.types.is_numeric_dtype(display[column])
        and not pd.api.types.is_bool_dtype(display[column])
        and column not in PLAIN_NUMBERS
    }
    config.update({column: st.column_config.LinkColumn(column) for column in links if column in frame.columns})
    config.update(
        {
            column: st.column_config.LinkColumn(column, display_text=text)
            for column, text in LINK_TEXT.items()
            if column in frame.columns
        }
    )
    config.update(options.pop("column_config", None) or {})
    if len(frame.columns) <= CARD_COLUMNS and not cards:  # narrow enough for a phone as it is
        st.dataframe(display, hide_index=True, key=key, column_config=config, **options)
        return
    with st.container(key=f"cards_{key}"):  # on a phone the cards replace the grid (_PAGE_CSS)
        st.dataframe(display, hide_index=True, key=key, column_config=config, **options)
        st.html(phone_cards.cards_html(display, links, app_links=LINK_TEXT))


def table_section(
    frame: pd.DataFrame, summary: str, stem: str, key: str, links: Sequence[str] = (), **options: Any
) -> None:
    """A list to take along: one line saying what it is, the table, and its CSV/Excel downloads."""
    if summary:
        st.write(summary)
    table(frame, f"{key}_table", links, **options)
    downloads(frame, stem, key)


def downloads(frame: pd.DataFrame, stem: str, key: str) -> None:
    """CSV (German Excel) and XLSX buttons for a table as shown (without the in-app link columns, which
    mean nothing outside the app); formula cells are made inert."""
    frame = without_app_links(frame)
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "CSV",
        export.frame_csv(frame),
        f"{stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        "Excel",
        export.frame_xlsx(frame, stem),
        f"{stem}.xlsx",
        key=f"{key}_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        on_click="ignore",
    )


REGBEZ_NOTE = "Immer alle sieben Regierungsbezirke und alle Partnertypen, zum Vergleich – unabhängig vom Filter."


def waiting_line() -> str:
    """'2 Meldungen in Prüfung': visitors' reports not yet decided (their number only, never content)."""
    return f"{counted(sum(data.pending().values()), 'Meldung', 'Meldungen')} in Prüfung"


NO_MOTION_STATE = "Anträge (Initiativen): kein Stand gewählt – „Anträge (Stand)“ in der Seitenleiste."


def initiatives_line(filters: Filters) -> str:
    """'Anträge: 2 eingereicht, 1 beschlossen' in the area – the motions the Redaktion has entered."""
    if not filters.initiative_statuses:
        return NO_MOTION_STATE
    motions = data.initiatives(filters)
    if motions.empty:
        return "Anträge (Initiativen): noch keiner eingetragen."
    counts = motions["status"].value_counts()
    return "Anträge (Initiativen): " + ", ".join(
        f"{counts[status]} {status}" for status in INITIATIVE_STATUSES if status in counts
    )


def motions_chart(filters: Filters) -> None:
    """Motions of the area per month by state (Lücken), the chart only where there is a dated one."""
    if not filters.initiative_statuses:
        st.caption(NO_MOTION_STATE)
        return
    motions = data.initiatives(filters)
    by_month = charts.motions_by_month(motions)
    if not by_month.empty:
        st.altair_chart(charts.motions_timeline(by_month), width="stretch")
    st.caption(charts.motions_text(motions))


def with_concept_line(filters: Filters) -> str:
    """'Mit Konzept (7): München, Augsburg, …' for the area – the answer a meeting asks for first."""
    frame = data.kreise(filters)
    names = sorted(short_name(n) for n in frame.loc[frame["status"] == "vorhanden", "name"])
    if not names:
        return "Mit Konzept: noch kein Kreis in diesem Gebiet (laut durchsuchten Quellen)."
    return md_text(f"Mit Konzept ({len(names)}): {', '.join(names)}")


def with_steckbrief_links(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of Kreise (`Kreis` holds the name) with a link to each one's Steckbrief; `ags` dropped."""
    return frame.drop(columns="ags").assign(Steckbrief=frame["Kreis"].map(steckbrief_href))


def factsheet_chooser() -> None:
    """Choose a Kreis (or arrive from a map popup with `?steckbrief=AGS`) and download its Steckbrief.

    All 96 Kreise are offered whatever the filter, so a link from the map of Bayern always works;
    the PDF is made when the button is pressed (the button is greyed out meanwhile).
    """
    kreise = data.kreis_options()
    url_note({STECKBRIEF: list(kreise)})
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    name = left.selectbox(
        "Kreis-Steckbrief (PDF, eine Seite A4)",
        list(kreise),
        index=None,
        key=STECKBRIEF,
        placeholder="Kreis oder kreisfreie Stadt wählen",
        bind="query-params",
    )
    right.download_button(
        "Steckbrief herunterladen",
        (lambda: factsheet.factsheet_pdf(data.engine(), kreise[name])) if name else b"",
        factsheet.file_name(name) if name else "steckbrief.pdf",
        "application/pdf",
        key="steckbrief_pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        disabled=name is None,
    )


@dataclass
class Attempt:
    """Whether the write inside `attempt` went through."""

    ok: bool = False


@contextmanager
def attempt(about: str = "") -> Iterator[Attempt]:
    """One write of an editor: a refusal of the data rules or a database failure becomes one German
    error line (`about` names the file, if any) ending in „Nichts geändert.“, never a traceback.

    Every write is one transaction, so after an error nothing was stored; `ok` says whether to confirm.
    """
    outcome = Attempt()
    prefix = f"{about}: " if about else ""
    try:
        yield outcome
    except Refused as exc:
        st.error(md_text(f"{prefix}{exc} Nichts geändert."))
    except SQLAlchemyError as exc:
        st.error(md_text(f"{prefix}{db_failure(exc)} Nichts geändert."))
    else:
        outcome.ok = True


_FLASH = "meldung"


def saved(message: str) -> None:
    """Confirm a write after the rerun that shows its result (the new data token refreshes every table)."""
    st.session_state[_FLASH] = message
    st.rerun()


def flash() -> None:
    """The confirmation left by `saved`, once, as plain text (it may name a file or a Kreis)."""
    if message := st.session_state.pop(_FLASH, None):
        st.success(md_text(message))
        st.toast(md_text(message), icon=":material/check_circle:")  # seen where the click was, on a phone too
