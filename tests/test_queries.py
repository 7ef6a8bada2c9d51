"""Key figures and tables equal what the database holds, per Regierungsbezirk."""

from __future__ import annotations

from sqlalchemy import func, select

from integra import queries
from integra.models import Concept, IntegrationCentre, Partner, Region
from integra.store import transaction
from integra.vocab import ALL_BAVARIA, KIZ_ELIGIBLE, REGIERUNGSBEZIRKE
from tests.conftest import seed_rows


def _sql_kreise_with_concept(engine, code: str | None) -> int:
    stmt = (
        select(func.count())
        .select_from(Concept)
        .join(Region, Region.ags == Concept.region_ags)
        .where(Region.level == "kreis", Concept.status == "vorhanden")
    )
    if code:
        stmt = stmt.where(Region.parent_ags == code)
    with engine.connect() as conn:
        return conn.scalar(stmt)


def test_key_figures_match_sql_for_every_area(engine):
    for index, name in enumerate((ALL_BAVARIA, *REGIERUNGSBEZIRKE)):
        code = None if index == 0 else f"09{index}"
        figures = queries.key_figures(engine, name)
        assert figures.kreise_with_concept == _sql_kreise_with_concept(engine, code), name
        with engine.connect() as conn:
            partner_stmt = select(func.count()).select_from(Partner)
            if code:
                partner_stmt = partner_stmt.where(Partner.kreis_ags.startswith(code))
            assert sum(figures.partner_types.values()) == conn.scalar(partner_stmt), name
    assert queries.key_figures(engine, "Oberfranken").kreise_total == 13
    assert queries.key_figures(engine).kreise_total == 96


def test_gemeinden_with_concept_counts_own_records_and_kreisfreie_staedte(engine):
    figures = queries.key_figures(engine)
    gem = queries.gemeinden(engine)
    assert figures.gemeinden_total == 2056
    # own Gemeinde records "vorhanden" + kreisfreie Städte with a concept (their one Gemeinde)
    kreise = queries.kreise(engine)
    cities = kreise[(kreise["status"] == "vorhanden") & kreise["name"].str.startswith("Kreisfreie Stadt")]
    own = [r for r in seed_rows("konzepte.csv") if len(r["region_ags"]) == 8 and r["status"] == "vorhanden"]
    assert figures.gemeinden_with_concept == len(own) + len(cities) and own and len(cities)
    assert gem.loc[gem["ags"] == "09564000", "status"].item() == "vorhanden"  # Nürnberg via its Kreis record
    assert gem.loc[gem["ags"] == "09373147", "status"].item() == "keines"  # Neumarkt i.d.OPf., own record
    assert gem.loc[gem["ags"] == "09471111", "status"].item() == "unbekannt"  # Altendorf (LK Bamberg): no record


def test_kiz_rule_is_derived_from_concept_and_kiz_records(engine):
    before = queries.kreise(engine).set_index("ags")
    assert before.loc["09162", "foerderfaehig"]  # München: concept vorhanden, no KIZ
    assert not before.loc["09161", "foerderfaehig"]  # Ingolstadt: concept unbekannt
    eligible = before["foerderfaehig"].sum()
    assert eligible == (before["status"] == "vorhanden").sum()  # no KIZ record in the seed yet
    with transaction(engine) as session:
        session.add(
            IntegrationCentre(
                kreis_ags="09162", status="vorgeschlagen", name="KIZ München", source_url="https://example.org/antrag"
            )
        )
    after = queries.kreise(engine).set_index("ags")
    assert not after.loc["09162", "foerderfaehig"]
    assert after.loc["09162", "kiz_status"] == "vorgeschlagen"
    figures = queries.key_figures(engine)
    assert figures.kiz_eligible == eligible - 1 and figures.kiz_status["vorgeschlagen"] == 1


def test_partner_filters_and_search(engine):
    all_partners = queries.partners(engine)
    awo_ofr = queries.partners(engine, "Schwaben", ["AWO"])
    assert set(awo_ofr["type"]) == {"AWO"} and set(awo_ofr["regbez"]) == {"Schwaben"}
    assert len(awo_ofr) == 1 and awo_ofr["city"].item() == "Stadtbergen"
    found = queries.partner_display(all_partners, "nurnberg")  # umlaut-tolerant
    assert len(found) and all("Nürnberg" in (row["Ort"] + row["Kreis"]) for _, row in found.iterrows())
    shown = queries.partner_display(all_partners)
    unsourced = shown[shown["Quelle"].isna()]
    # the researchers' English note, shown in German
    assert (unsourced["Quellenhinweis"] == "ohne Quelle (allgemein bekannt)").all() and len(unsourced) > 0


def test_data_age_reports_check_date(engine):
    age = queries.data_age(engine)
    assert str(age.concepts_checked_to) == max(r["checked_on"] for r in seed_rows("konzepte.csv"))
    assert str(age.population_date) == "2022-12-31"


def test_kreis_table_shows_source_and_the_a3_rule(engine):
    table = queries.kreis_display(queries.kreise(engine, "Mittelfranken"), ["vorhanden"])
    assert len(table) == 5 and set(table["Konzept"]) == {"vorhanden"}
    nuernberg = table.set_index("Kreis").loc["Kreisfreie Stadt Nürnberg"]
    assert nuernberg["KIZ"] == KIZ_ELIGIBLE and nuernberg["Jahr"] == 2004
    assert nuernberg["Quelle"].startswith("https://") and nuernberg["Verlässlichkeit"] == "hoch"


def test_last_change_follows_every_write_also_an_undo(engine):
    """UX review #20: after an undo the footer's "letzte Änderung" moved backwards (old updated_at restored)."""
    from integra import editing
    from integra.editing import ConceptChange

    batch = editing.set_concept(engine, ConceptChange("09471", "vorhanden"), "E")
    after_edit = queries.data_age(engine).last_change
    editing.undo_batch(engine, batch, "E")
    assert queries.data_age(engine).last_change >= after_edit


def test_stored_times_are_shown_in_bavarian_time():
    """UX review #19: the import history said "Zeit (UTC)" while the footer showed another clock."""
    import datetime as dt

    from integra.formatting import local_stamp

    assert local_stamp(dt.datetime(2026, 11, 26, 12, 0)) == "26.11.2026 13:00"  # SQLite: naive UTC
    assert local_stamp(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)) == "01.07.2026 14:00"  # summer time
