"""Gap lists, nearby models and charts for Oberfranken, checked against the facts in the store."""

from __future__ import annotations

import warnings

import pandas as pd

from integra import charts, gaps, queries
from integra.models import IntegrationCentre
from integra.store import transaction
from integra.vocab import KIZ_ELIGIBLE, REGIERUNGSBEZIRKE

# Expectations come from the facts in the store (queries.kreise, queries.partners), so a new research
# round changes no line here; the rules are what is tested: a concept and no KIZ is demand, etc.


def _names(frame) -> set[str]:
    return set(frame["name"])


def _with_concept(engine, regbez: str) -> set[str]:
    kreise = queries.kreise(engine, regbez)
    return set(kreise.loc[kreise["status"] == "vorhanden", "name"])


def test_lists_for_oberfranken(engine):
    kreise = queries.kreise(engine, "Oberfranken")
    concept = _with_concept(engine, "Oberfranken")
    assert concept and queries.integration_centres(engine).empty  # the seed has no KIZ record
    figures = gaps.kreis_figures(engine, "Oberfranken")
    assert len(figures) == len(kreise) == 13
    assert _names(gaps.demand_list(figures)) == concept
    missing = gaps.without_concept(figures)
    assert _names(missing) == _names(kreise) - concept and "vorhanden" not in set(missing["status"])
    caritas = queries.partners(engine, "Oberfranken", ["Caritas"])
    with_caritas = set(kreise.loc[kreise["ags"].isin(caritas["kreis_ags"]), "name"])
    assert with_caritas and _names(figures) - _names(gaps.without_partner(figures, "Caritas")) == with_caritas
    partners = queries.partners(engine, "Oberfranken")
    in_bamberg = partners[partners["kreis_ags"] == "09461"]
    bamberg = figures.set_index("name").loc["Kreisfreie Stadt Bamberg"]
    assert bamberg["partner"] == len(in_bamberg) > 0
    assert all(bamberg[t] == (in_bamberg["type"] == t).sum() for t in in_bamberg["type"].unique())
    assert bamberg["partner_je_100k"] == round(len(in_bamberg) / bamberg["population"] * 100_000, 1)
    assert bamberg["kiz"] == KIZ_ELIGIBLE and bamberg["gemeinden_mit_konzept"] == 1  # the city is its one Gemeinde


def test_a_kiz_record_takes_a_kreis_off_the_demand_list(engine):
    concept = _with_concept(engine, "Oberfranken")
    assert "Kreisfreie Stadt Hof" in concept
    with transaction(engine) as session:
        session.add(IntegrationCentre(kreis_ags="09464", status="geplant", name="KIZ Hof"))
    figures = gaps.kreis_figures(engine, "Oberfranken")
    assert _names(gaps.demand_list(figures)) == concept - {"Kreisfreie Stadt Hof"}
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
    facts = queries.kreise(engine)
    present = facts[facts["status"] == "vorhanden"]
    assert kreise["Anzahl"].max() + undated["Kreise"] == len(present)  # dated ones cumulate, undated are apart
    assert undated["Kreise"] == present["year"].isna().sum() > 0 and kreise["Jahr"].min() == present["year"].min()
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


def test_the_timeline_in_words_counts_the_undated_in_german_number():
    """Walkthrough: „1 Kreise“; the sentence is made in charts, not in the page."""
    empty = pd.DataFrame(columns=["Jahr", "Ebene", "Anzahl"])
    assert charts.timeline_text(empty, {"Kreise": 1, "Gemeinden": 0}) == (
        "Noch kein Konzept mit bekanntem Jahr. Ohne bekanntes Jahr (nicht eingezeichnet): 1 Kreis, 0 Gemeinden."
    )
