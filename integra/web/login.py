"""The editors' gate: password login bound to the browser (or OIDC where configured), and the page header.

Viewing is open to everybody; every page that changes data calls `editor_page` first, which stops
the page for anybody not logged in. Decisions (hashing, rate limit, binding) live in `integra.auth`.
"""

from __future__ import annotations

import time

import streamlit as st

from integra import auth
from integra.web import data, widgets


def _secrets_section() -> dict | None:
    try:
        return dict(st.secrets.get("integra", {}))
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return None


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return False


def editor_page(title: str, caption: str) -> str:
    """Title, caption and the login gate of an editors' page; stops the page for everybody else."""
    st.title(title)
    st.caption(caption)
    user = editor()
    if user is None:
        widgets.footer()  # st.stop() ends app.py too, which would otherwise add sources and data age
        st.stop()
    st.text(f"Angemeldet als {user}.")  # plain text: the name is free text, never markdown (review L1)
    return user


LOGIN_KEY = "editor_login"


def _client_address() -> str:
    """The address this connection's login attempts are counted under (see auth.client_address)."""
    return auth.client_address(st.context.ip_address, st.context.headers.get_all("X-Forwarded-For"))


def _setup_help(steps: str) -> None:
    """What the administration does, folded away: party members cannot act on shell commands."""
    with st.expander("Für die Administration: Redaktionspasswort einrichten"):
        st.markdown(steps)


def editor() -> str | None:
    """The logged-in editor's name, or None after showing the login (or how to enable it).

    A login counts only for the browser that made it and for 8 hours: Streamlit resumes a session
    for anybody who presents its id, so every rerun compares the current connection's proof
    (auth.client_proof) with the one recorded at login, and forgets the login on a mismatch.
    """
    if _oidc_configured():
        if st.user.is_logged_in:
            return str(st.user.get("email") or st.user.get("name") or "OIDC")
        st.button("Anmelden", on_click=st.login, type="primary")
        return None
    now = time.time()
    proof = auth.client_proof(st.context.cookies, st.context.headers)
    login = st.session_state.get(LOGIN_KEY)
    if isinstance(login, auth.Login):
        if login.holds(proof, now):
            return login.name
        del st.session_state[LOGIN_KEY]
        st.info(
            "Die Anmeldung gilt nicht mehr (nach 8 Stunden oder aus einer anderen Verbindung) – bitte erneut anmelden."
        )
    try:
        stored = auth.configured_hash(_secrets_section())
    except auth.PasswordTooShort:
        st.warning(
            "Ändern ist gesperrt, weil das eingerichtete Redaktionspasswort zu kurz ist. Bitte die "
            "Administration fragen. Ansehen bleibt für alle offen."
        )
        _setup_help(
            f"`INTEGRA_EDITOR_PASSWORD` ist kürzer als {auth.MIN_PASSWORD_LENGTH} Zeichen. Ein längeres "
            "Passwort setzen (oder mit `python -m integra hash-password` einen Hash erzeugen) und die App "
            "neu starten."
        )
        return None
    if stored is None:
        st.info(
            "Ändern ist gesperrt: Für diese Installation ist noch kein Redaktionspasswort eingerichtet. Bitte die "
            "Administration fragen. Ansehen bleibt für alle offen."
        )
        _setup_help(
            "`python -m integra hash-password` ausführen und die ausgegebenen Zeilen in "
            "`.streamlit/secrets.toml` eintragen – oder die Umgebungsvariable `INTEGRA_EDITOR_PASSWORD` "
            "setzen, dann die App neu starten."
        )
        return None
    with st.form("login"):
        st.write("Ändern der Daten nur für die Redaktion.")
        name = st.text_input(
            "Ihr Name (wird bei Ihren Änderungen vermerkt)", key="login_name", max_chars=auth.MAX_NAME_LENGTH
        )
        password = st.text_input("Redaktionspasswort", type="password", key="login_password")
        submitted = st.form_submit_button("Anmelden", type="primary")
    if submitted:
        attempt = auth.attempt_login(data.engine(), _client_address(), lambda: auth.verify_password(password, stored))
        if attempt.wait:
            st.error(f"Zu viele Fehlversuche – bitte {attempt.wait} Sekunden warten.")
        elif attempt.ok:
            st.session_state[LOGIN_KEY] = auth.Login(auth.clean_name(name), proof, now + auth.LOGIN_SECONDS)
            st.rerun()
        else:
            st.error("Passwort falsch.")
    return None
