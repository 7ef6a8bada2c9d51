"""Placing partners offline: coordinates, PLZ (+ Ort), Gemeinde names with their spellings."""

from __future__ import annotations

import pytest

from integra import locate
from integra.locate import LocationError


@pytest.mark.parametrize(
    ("written", "ags"),
    [
        ("Weiden in der Oberpfalz", "09363000"),
        ("Weiden i.d.OPf.", "09363000"),
        ("Mühldorf am Inn", "09183128"),
        ("Muehldorf a. Inn", "09183128"),
        ("Pfaffenhofen an der Ilm", "09186143"),
        ("Kempten", "09763000"),
        ("MÜNCHEN", "09162000"),
    ],
)
def test_gemeinde_names_are_tolerant(written, ags):
    place = locate.by_name(written)
    assert place.gemeinde_ags == ags and place.precision == "Gemeinde"


def test_ambiguous_and_unknown_names_are_errors():
    with pytest.raises(LocationError, match=r"mehrmals.*PLZ angeben"):
        locate.by_name("Altendorf")
    with pytest.raises(LocationError, match="nicht in Bayern"):
        locate.by_name("Hamburg")


def test_plz_with_and_without_ort():
    assert locate.by_plz("96047", "Bamberg").gemeinde_ags == "09461000"
    several = locate.by_plz("63825", "Schöllkrippen")  # one PLZ, four Gemeinden: the Ort decides
    assert several.gemeinde_ags == "09671152" and several.precision == "PLZ" and several.warning is None
    assert "umfasst 4 Gemeinden" in locate.by_plz("63825").warning


@pytest.mark.parametrize(
    ("plz", "message"), [("10115", "nicht in Bayern"), ("8052", "fünfstellige"), ("9a047", "fünf")]
)
def test_bad_plz(plz, message):
    with pytest.raises(LocationError, match=message) as info:
        locate.by_plz(plz)
    assert info.value.column == "plz"


def test_points_in_polygons():
    inside, berlin, lindau = locate.gemeinden_at([49.89, 52.52, 47.5833], [10.89, 13.40, 9.7667])
    assert inside == ("09461000", False) and berlin == (None, False)
    assert locate.by_point(49.89, 10.89, inside).precision == "Adresse"
    with pytest.raises(LocationError, match="nicht in Bayern"):
        locate.by_point(52.52, 13.40, berlin)
    # Sigmarszell at the Bodensee: GeoNames' point is just outside the generalised border
    snapped = locate.by_point(47.5833, 9.7667, lindau)
    assert lindau[1] and snapped.kreis_ags == "09776" and "knapp außerhalb" in snapped.warning
