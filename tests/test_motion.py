"""Issue 14, part 1: the Antragsentwurf from the command line, as Word and Markdown, built only from sourced facts."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select

from integra import cli, editing, gaps, motion, queries
from integra.models import Region
from tests.apptest import app
from tests.browser import CHROMIUM, FLAGS, OFFLINE, require_chromium, served_copy
from tests.test_maps import _add_partner

# Every bullet of the Begründung ends in its sources, e.g. "… (2019). [3][4]"; placeholders are in brackets.
_CITED = re.compile(r"\[\d+\](\[\d+\])*$")


def _region(engine, ags: str) -> Region:
    with engine.connect() as conn:
        return conn.execute(select(Region).where(Region.ags == ags)).one()


def _gemeinde_of_kind(engine, kind: str) -> str:
    gemeinden = queries.gemeinden(engine)
    return str(gemeinden.loc[gemeinden["kind"] == kind, "ags"].iloc[0])


def _word(db_url, monkeypatch, tmp_path, ags: str) -> tuple[str, list[str], list[str]]:
    """Run the CLI into a .docx and read it back: the whole text, the Begründung bullets, the sources."""
    monkeypatch.setenv("INTEGRA_DATABASE_URL", db_url)
    out = tmp_path / f"{ags}.docx"
    assert cli.main(["antrag", ags, "--out", str(out)]) == 0
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    start, end = paragraphs.index("Begründung"), paragraphs.index("Quellen")
    reasons = [p for p in paragraphs[start + 1 : end] if not p.startswith("[")]
    sources = [p for p in paragraphs[end + 1 :] if re.match(r"^\[\d+\] ", p)]
    return "\n".join(paragraphs), reasons, sources


def _kreis_with_concept_without_kiz(engine) -> str:
    kreise = queries.kreise(engine)
    return str(kreise.loc[kreise["foerderfaehig"] & (kreise["kind"] == "Landkreis"), "ags"].iloc[0])


@pytest.mark.parametrize(
    ("area", "body", "subject"),
    [
        ("09177", "Kreistag", "Erarbeitung eines kommunalen Integrationskonzepts"),  # Landkreis Erding, unbekannt
        ("09161", "Stadtrat", "Erarbeitung eines kommunalen Integrationskonzepts"),  # kreisfreie Stadt Ingolstadt
        ("gemeinde", "Gemeinderat", "Erarbeitung eines kommunalen Integrationskonzepts"),
        ("markt", "Marktgemeinderat", "Erarbeitung eines kommunalen Integrationskonzepts"),
        ("kiz", "Kreistag", "Aufbau eines Kommunalen Integrationszentrums"),
    ],
)
def test_the_draft_names_body_area_population_models_and_cites_every_sentence(
    engine, db_url, monkeypatch, tmp_path, area, body, subject
):
    ags = {
        "gemeinde": lambda: _gemeinde_of_kind(engine, "Gemeinde"),
        "markt": lambda: _gemeinde_of_kind(engine, "Markt"),
        "kiz": lambda: _kreis_with_concept_without_kiz(engine),
    }.get(area, lambda: area)()
    region = _region(engine, ags)
    text, reasons, sources = _word(db_url, monkeypatch, tmp_path, ags)
    assert f"Der {body} möge beschließen:" in text and subject in text
    assert region.name in text and f"{region.population:,}".replace(",", ".") in text
    assert reasons and all(_CITED.search(reason.strip()) for reason in reasons), reasons
    cited = {int(n) for reason in reasons for n in re.findall(r"\[(\d+)\]", reason)}
    assert cited == set(range(1, len(sources) + 1))  # every source is used, every number has a source
    if subject.startswith("Erarbeitung"):  # the nearest Kreis with a concept, with its own source
        kreis_ags = ags[:5]
        model, km = gaps.nearest(queries.kreise(engine), kreis_ags)[0]
        assert f"Vorbild in der Nähe ({km} km): {model['name']}" in text
        assert any(model["source_url"].split(" ; ")[0] in source for source in sources)
    else:  # the KIZ motion leans on the stored NRW references
        assert "Vorbild Nordrhein-Westfalen" in text


def test_markdown_goes_to_standard_output_and_an_unknown_area_is_a_usage_error(db_url, monkeypatch, capsys):
    monkeypatch.setenv("INTEGRA_DATABASE_URL", db_url)
    assert cli.main(["antrag", "09177", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Antrag: Erarbeitung eines kommunalen Integrationskonzepts")
    assert "## Quellen" in out and "[Fraktion, Namen]" in out
    for wrong in ("0917", "09", "99999", "0917711x"):
        assert cli.main(["antrag", wrong, "--out", "x.docx"]) == 2
        assert "Kein Kreis und keine Gemeinde" in capsys.readouterr().err


def test_a_gemeindefreies_gebiet_gets_no_draft(engine):
    gemeinden = queries.gemeinden(engine)
    ags = str(gemeinden.loc[~gemeinden["is_gemeinde"], "ags"].iloc[0])
    with pytest.raises(motion.MotionRefused, match="gemeindefreies Gebiet"):
        motion.draft(engine, ags)


def test_stored_text_of_any_kind_is_text_in_the_word_file(engine):
    """A partner name from an upload with markup, a formula start and a control character stays text."""
    _add_partner(
        engine,
        "=1+1 <w:p>Helferkreis\x01 Erding</w:p>",
        gemeinde_ags="09177117",
        kreis_ags="09177",
        source_url="https://example.org/helferkreis",
    )
    draft = motion.draft(engine, "09177")
    document = Document(io.BytesIO(motion.to_docx(draft)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "=1+1 <w:p>Helferkreis Erding</w:p>" in text


def test_a_popup_link_opens_luecken_with_the_area_of_the_draft_chosen(db_url):
    """`?antrag=<AGS>` (the area popups' „Antragsentwurf“) chooses the area and enables both downloads."""
    at = app(antrag="09177117").switch_page("views/luecken.py").run()
    assert not at.exception and at.selectbox(key="antrag_area").value.startswith("Erding (Große Kreisstadt")
    buttons = {b.proto.label: b.proto for b in at.get("download_button") if b.proto.label in ("Word", "Markdown")}
    assert set(buttons) == {"Word", "Markdown"} and not any(b.disabled for b in buttons.values())
    at = app(antrag="<b>1</b>").switch_page("views/luecken.py").run()
    assert at.selectbox(key="antrag_area").value is None
    assert any("Antragsentwurf „" in i.value for i in at.info)


def test_the_word_draft_downloads_from_the_luecken_page_in_a_real_browser(seeded_template, tmp_path):
    require_chromium()
    with served_copy(seeded_template, tmp_path) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(accept_downloads=True)
        page.goto(f"{url}/luecken?antrag=09177&{OFFLINE}")
        button = page.get_by_role("button", name="Word")
        expect(button).to_be_enabled(timeout=60_000)
        with page.expect_download() as download:
            button.click()
        assert download.value.suggested_filename == "antrag_landkreis_erding.docx"
        text = "\n".join(p.text for p in Document(str(download.value.path())).paragraphs)
        assert "Der Kreistag möge beschließen:" in text and "Landkreis Erding" in text
        browser.close()


def test_only_web_links_and_the_apps_own_documents_count_as_sources(engine):
    """Review: „unsourced (general knowledge)“ from the research appeared as source [8] of München's draft."""
    _add_partner(
        engine,
        "Helferkreis ohne Beleg \uffff Erding",
        gemeinde_ags="09177117",
        kreis_ags="09177",
        source_url="unsourced (general knowledge)",
    )
    _add_partner(
        engine, "Helferkreis mit Beleg", gemeinde_ags="09177117", kreis_ags="09177", source_url="https://x.de/\uffffa"
    )
    draft = motion.draft(engine, "09177")
    assert all(s.startswith(("https://", "http://")) or s.startswith(motion.DOCUMENTS) for s in draft.sources)
    text = motion.to_markdown(draft)
    assert "ohne Beleg" not in text and "Helferkreis mit Beleg" in text and "\uffff" not in text
    Document(io.BytesIO(motion.to_docx(draft)))  # Word opens it


def test_a_concept_saved_without_a_link_is_cited_as_the_maps_entry_and_a_proposed_kiz_keeps_the_kiz_motion(engine):
    kreis = _kreis_with_concept_without_kiz(engine)
    editing.set_concept(engine, editing.ConceptChange("09177", "vorhanden", "Leitbild Integration", 2024), "Erika")
    draft = motion.draft(engine, "09177")
    assert draft.kind == motion.KIZ
    assert any("Leitbild Integration" in c.text and "[Quelle ergänzen]" in c.text for c in draft.reasons)
    assert not any("kein beschlossenes Integrationskonzept" in c.text for c in draft.reasons)
    editing.save_kiz(engine, editing.KizChange(kreis, "vorgeschlagen", "KIZ-Vorschlag"), "Erika")
    assert motion.draft(engine, kreis).kind == motion.KIZ
    editing.save_kiz(engine, editing.KizChange(kreis, "eingerichtet", "KIZ"), "Erika")
    assert motion.draft(engine, kreis).kind == motion.CONTINUE


def test_a_motion_on_record_is_cited_and_word_checks_german_spelling(engine):
    source = "https://www.landkreis-erding.de/ratsinfo/antrag"
    editing.save_initiative(
        engine,
        editing.InitiativeChange(
            "09177", "Antrag auf ein Integrationskonzept", "konzept", "eingereicht", source_url=source
        ),
        "Erika",
    )
    editing.save_initiative(
        engine, editing.InitiativeChange("09177", "Ohne Beleg", "konzept", "geplant"), "Erika"
    )  # no link: not cited
    draft = motion.draft(engine, "09177")
    (claim,) = [c for c in draft.reasons if "liegt bereits ein Antrag vor" in c.text]
    assert claim.text == "Im Kreistag liegt bereits ein Antrag vor: „Antrag auf ein Integrationskonzept“ (eingereicht)."
    assert draft.sources[claim.sources[0] - 1] == source
    document = Document(io.BytesIO(motion.to_docx(draft)))
    assert document.core_properties.author == "Integrationslandkarte Bayern"
    assert 'w:val="de-DE"' in document.styles["Normal"].element.xml
