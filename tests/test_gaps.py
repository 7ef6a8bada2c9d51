"""Gap lists, nearby models and charts against expectations worked out by hand for Oberfranken."""

from __future__ import annotations

import warnings

from integra import charts, gaps, queries
from integra.models import IntegrationCentre
from integra.store import transaction
from integra.vocab import KIZ_ELIGIBLE, REGIERUNGSBEZIRKE

# Oberfranken in the seed: concepts in Stadt Bamberg and Stadt Hof, LK Coburg in Erarbeitung,
# partners only in Stadt Bamberg (Caritas diocese, Migranten- und Integrationsbeirat).
CONCEPT = {"Kreisfreie Stadt Bamberg", "Kreisfreie Stadt Hof"}


def _names(frame) -> set[str]:
    return set(frame["name"])


def test_lists_for_oberfranken(engine):
    figures = gaps.kreis_figures(engine, "Oberfranken")
    assert len(figures) == 13
    assert _names(gaps.demand_list(figures)) == CONCEPT
    missing = gaps.without_concept(figures)
    assert len(missing) == 11 and CONCEPT.isdisjoint(_names(missing))
    assert set(missing["status"]) == {"unbekannt", "in Erarbeitung"}
    assert _names(figures) - _names(gaps.without_partner(figures, "Caritas")) == {"Kreisfreie Stadt Bamberg"}
    bamberg = figures.set_index("name").loc["Kreisfreie Stadt Bamberg"]
    assert (bamberg["Caritas"], bamberg["Sonstige"], bamberg["partner"]) == (1, 1, 2)
    assert bamberg["partner_je_100k"] == round(2 / bamberg["population"] * 100_000, 1)
    assert bamberg["kiz"] == KIZ_ELIGIBLE and bamberg["gemeinden_mit_konzept"] == 1


def test_a_kiz_record_takes_a_kreis_off_the_demand_list(engine):
    with transaction(engine) as session:
        session.add(IntegrationCentre(kreis_ags="09464", status="geplant", name="KIZ Hof"))
    figures = gaps.kreis_figures(engine, "Oberfranken")
    assert _names(gaps.demand_list(figures)) == {"Kreisfreie Stadt Bamberg"}
    assert figures.set_index("name").loc["Kreisfreie Stadt Hof", "kiz"] == "geplant"


def test_nearby_models(engine):
    near = gaps.nearby_models(engine, "Oberfranken")
    assert set(near["ags"]) == set(gaps.without_concept(gaps.kreis_figures(engine, "Oberfranken"))["ags"])
    lk_bamberg = near[near["Kreis"] == "Landkreis Bamberg"].sort_values("Rang")
    assert lk_bamberg["Vorbild"].iloc[0] == "Kreisfreie Stadt Bamberg"
    assert 5 < lk_bamberg["Entfernung (km)"].iloc[0] < 25
    assert list(lk_bamberg["Entfernung (km)"]) == sorted(lk_bamberg["Entfernung (km)"])


def test_charts_count_undated_records_apart(engine):
    coverage = gaps.coverage_by_regbez(engine)
    assert len(coverage) == 7 * 4 and coverage["Kreise"].sum() == 96
    timeline, undated = gaps.concepts_over_time(engine)
    kreise = timeline[timeline["Ebene"] == "Kreise"]
    assert kreise["Anzahl"].max() + undated["Kreise"] == 25  # dated ones cumulate, undated are apart
    assert undated["Kreise"] == 5 and kreise["Jahr"].min() == 2004
    assert list(kreise["Anzahl"]) == sorted(kreise["Anzahl"])


def test_regbez_table_adds_up_to_its_total_row(engine):
    figures = gaps.kreis_figures(engine)
    table = gaps.regbez_table(figures)
    assert list(table["Regierungsbezirk"]) == [*REGIERUNGSBEZIRKE, "Bayern gesamt"]
    body, total = table.iloc[:-1], table.iloc[-1]
    for column in ("Kreise", "mit Konzept", "Gemeinden", "Gemeinden mit Konzept", KIZ_ELIGIBLE, "Caritas"):
        assert body[column].sum() == total[column], column
    whole = queries.key_figures(engine)
    assert (total["Kreise"], total["mit Konzept"], total["Gemeinden"], total["Gemeinden mit Konzept"]) == (
        whole.kreise_total,
        whole.kreise_with_concept,
        whole.gemeinden_total,
        whole.gemeinden_with_concept,
    )
    table = table.set_index("Regierungsbezirk")
    ofr = figures[figures["regbez"] == "Oberfranken"]
    assert table.loc["Oberfranken", "Partner je 100.000 Einw."] == round(
        ofr["partner"].sum() / ofr["population"].sum() * 1e5, 1
    )


def test_nearby_models_give_whole_years_in_the_csv(engine):
    """L9: a float year column printed `2020.0` in the downloaded CSV."""
    from integra import export

    models = gaps.nearby_models(engine, "Oberfranken")
    text = export.frame_csv(models).decode("utf-8-sig")
    years = {str(int(y)) for y in models["Jahr"].dropna()}
    assert years and all(f";{y};" in text for y in years) and ".0;" not in text


def test_coverage_chart_is_also_said_in_words(engine):
    """UX review #18: the chart only said "Vega visualization" to a screen reader."""
    text = charts.coverage_text(gaps.coverage_by_regbez(engine))
    kreise = queries.kreise(engine)
    for regbez, rows in kreise.groupby("regbez"):
        assert f"{regbez}: {int((rows['status'] == 'vorhanden').sum())} von {len(rows)}" in text


def test_charts_of_an_area_without_dated_concepts_build_without_warnings(engine):
    """Untyped tooltips made Altair guess types from an empty frame, warning into the server log."""
    timeline, _ = gaps.concepts_over_time(engine, "Oberfranken")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spec = charts.timeline(timeline.iloc[0:0]).to_dict()
        charts.coverage(gaps.coverage_by_regbez(engine).iloc[0:0]).to_dict()
    assert [t["type"] for t in spec["encoding"]["tooltip"]] == ["nominal", "ordinal", "quantitative"]
