"""Placing partners offline: coordinates, PLZ (+ Ort), Gemeinde names with their spellings."""

from __future__ import annotations

import pytest

from integra import locate
from integra.locate import LocationError


@pytest.mark.parametrize(
    ("written", "ags"),
    [
        ("Weiden in der Oberpfalz", "09363000"), ("Weiden i.d.OPf.", "09363000"), ("Mühldorf am Inn", "09183128"),
        ("Muehldorf a. Inn", "09183128"), ("Pfaffenhofen an der Ilm", "09186143"), ("Kempten", "09763000"),
        ("MÜNCHEN", "09162000"),
    ],
)  # fmt: skip
def test_gemeinde_names_are_tolerant(written, ags):
    place = locate.by_name(written)
    assert place.gemeinde_ags == ags and place.precision == "Gemeinde"


def test_ambiguous_and_unknown_names_are_errors():
    with pytest.raises(LocationError, match="mehrmals.*PLZ angeben"):
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
    inside, berlin, gemeindefrei = locate.gemeinden_at([49.89, 52.52, 49.93], [10.89, 13.40, 12.03])
    assert inside == "09461000" and berlin is None
    assert locate.by_point(49.89, 10.89, inside).precision == "Adresse"
    with pytest.raises(LocationError, match="nicht in Bayern"):
        locate.by_point(52.52, 13.40, berlin)
