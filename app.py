"""Entry point: page setup, navigation and the filters every page shares.

The page scripts live in `views/`, not `pages/`: Streamlit 1.67 treats a `pages/` folder beside
the entry script as a legacy multipage app and runs a deep-linked page (`/karte?regbez=…`)
without this file, i.e. without page config, navigation and the shared filters.
"""

import streamlit as st

from integra.web import data, filters, german, serving, widgets

serving.install()

st.set_page_config(
    page_title="Integrationslandkarte Bayern",
    page_icon="🗺️",
    layout="wide",
    initial_sidebar_state="collapsed" if filters.presentation_mode() else "auto",
)
data.warm_up()
widgets.page_style()
with st.sidebar:  # a zero-height frame; in the sidebar it takes no room above the page
    german.install_page()

navigation = st.navigation(
    [
        # The start page lives at "/" only (a default page has no address of its own).
        st.Page("views/uebersicht.py", title="Übersicht", icon=":material/dashboard:", default=True),
        st.Page("views/karte.py", title="Karte", icon=":material/map:", url_path="karte"),
        st.Page("views/partner.py", title="Partner", icon=":material/groups:", url_path="partner"),
        st.Page("views/luecken.py", title="Lücken & Forderungen", icon=":material/flag:", url_path="luecken"),
        st.Page("views/melden.py", title="Etwas melden", icon=":material/campaign:", url_path="melden"),
        st.Page("views/hochladen.py", title="Daten hochladen", icon=":material/upload_file:", url_path="hochladen"),
        st.Page("views/redaktion.py", title="Redaktion", icon=":material/edit_note:", url_path="redaktion"),
    ]
)
with serving.error_boundary():
    filters.sidebar_filters(navigation.url_path)
    navigation.run()
with serving.error_boundary():
    widgets.footer()
