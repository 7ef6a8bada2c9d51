"""Guessing which column holds which field, and spotting personal data."""

from __future__ import annotations

from integra.columns import guess_mapping, personal_columns


def test_german_and_english_headers():
    headers = [
        "Organisation",
        "Träger",
        "Str.",
        "Postleitzahl",
        "Ort",
        "Homepage",
        "E-Mail",
        "Telefon",
        "Breite",
        "Länge",
    ]
    mapping = guess_mapping(headers)
    assert mapping["name"] == "Organisation" and mapping["type"] == "Träger" and mapping["street"] == "Str."
    assert mapping["plz"] == "Postleitzahl" and mapping["city"] == "Ort" and mapping["website"] == "Homepage"
    assert (mapping["email"], mapping["phone"], mapping["lat"], mapping["lon"]) == (
        "E-Mail",
        "Telefon",
        "Breite",
        "Länge",
    )
    english = guess_mapping(["Name", "Type", "Address", "ZIP", "City", "Latitude", "Longitude", "Website"])
    assert english["street"] == "Address" and english["lat"] == "Latitude" and english["plz"] == "ZIP"
    assert guess_mapping(["Einrichtung", "Verband", "Gemeinde"])["name"] == "Einrichtung"


def test_personal_columns_are_recognised_and_never_mapped():
    headers = ["Name", "Ort", "Ansprechpartner", "Vorname", "Nachname", "Handy privat", "Telefon"]
    mapping = guess_mapping(headers)
    assert "Ansprechpartner" not in mapping.values()
    assert personal_columns(headers, mapping) == ["Ansprechpartner", "Vorname", "Nachname", "Handy privat"]
