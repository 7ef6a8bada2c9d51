"""Property test: every page under any filter combination and any query string shows no error.

Hypothesis draws query strings from the real choices, empty selections and junk (unknown names,
markup, very long values), AppTest runs the real app with them on one page, and the page must
finish without an exception and without the German error box of `integra.serving` (which would
mean an exception was caught). Unknown values get the visible German note of `web.filters.url_note`.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integra.config import BASEMAPS
from integra.maps import LEVEL_GEMEINDEN, LEVEL_KREISE
from integra.vocab import ALL_BAVARIA, CONCEPT_STATUSES, PARTNER_TYPES, REGIERUNGSBEZIRKE, status_label
from tests.apptest import app
from tests.conftest import APP_PAGES

JUNK = st.one_of(
    st.sampled_from(["", "Mars", "<script>alert(1)</script>", "{{7*7}}", "%C3%28", "x" * 2_000, "Ober bayern"]),
    st.text(max_size=30),
)


def _one_of(options: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(options), JUNK)


QUERIES = st.fixed_dictionaries(
    {},
    optional={
        "regbez": _one_of((ALL_BAVARIA, *REGIERUNGSBEZIRKE)),
        "typ": st.lists(_one_of(PARTNER_TYPES), max_size=8),
        "status": st.lists(_one_of(tuple(status_label(s) for s in CONCEPT_STATUSES)), max_size=5),
        "ebene": _one_of((LEVEL_KREISE, LEVEL_GEMEINDEN)),
        "karte": _one_of(BASEMAPS),
        "praesentation": st.sampled_from(["1", "0", "ja", ""]),
        "suche": JUNK,
        "ags": _one_of(("09475", "09471140")),  # the Melden page's area (a link from a popup)
        "steckbrief": _one_of(("Landkreis Hof",)),
    },
)


@pytest.mark.sqlite_only  # AppTest and the store are covered on PostgreSQL by test_app_pages
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(APP_PAGES), query=QUERIES)
def test_any_page_with_any_query_shows_no_error(db_url, page, query):
    at = app(timeout=90, **query).run()
    if query.get("regbez") and query["regbez"] not in (ALL_BAVARIA, *REGIERUNGSBEZIRKE):
        # the first run shows the note; the widget then drops the unknown value from the address
        assert any("unbekannte Werte" in i.value for i in at.info), query
    at.switch_page(page).run()
    assert not at.exception, (page, query, at.exception)
    assert not at.error, (page, query, [e.value for e in at.error])
    shown = " ".join(str(e.value) for e in (*at.markdown, *at.caption, *at.info))
    assert "Traceback" not in shown and not re.search(r"\bNone\b|\bnan\b", shown), (page, query, shown[:500])
