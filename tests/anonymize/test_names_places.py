"""Names, places, addresses and organisations; the allow-list and the words
that only look like names."""

from __future__ import annotations

import pytest

# ------------------------------------------------------------------ addresses


def test_street_and_postal_place_are_two_locations(find, surfaces):
    text = "De bor i Storgata 12B, 0182 Oslo. De siste ukene har det vært bråk."
    assert {("Storgata 12B", "LOCATION"), ("0182 Oslo", "LOCATION")} <= find(text)


@pytest.mark.parametrize("address", ["Lindeveien 8", "Kong Oscars gate 3", "bjørnbrauta 7"])
def test_street_addresses(find, surfaces, address):
    assert address in surfaces(f"adressen er {address}, andre etasje")


def test_numbers_of_things_are_not_addresses(find, surfaces):
    assert surfaces("vi gikk i bakken 3 ganger og hele veien 2 timer") == set()


# ------------------------------------------------------------------ organisations


@pytest.mark.parametrize(
    "org",
    ["Bjørkelund skole", "blåbærlia skole", "Fjellknausen barnehage", "Skogbrynet IL", "Vangsåsen SK",
     "Gandsfjord svømmeklubb", "Nordbyen ungdomsskole"],
)
def test_schools_kindergartens_and_clubs(find, surfaces, org):
    assert (org, "ORGANIZATION") in find(f"jeg går på {org} om dagen")


@pytest.mark.parametrize("text", ["jeg byttet skole i høst", "Ny skole er skummelt", "hvilken barnehage går han i"])
def test_ordinary_words_before_skole_are_not_schools(find, surfaces, text):
    assert surfaces(text) == set()


# ------------------------------------------------------------------ names and places


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("jeg heter liv btw", "liv"),
        ("eg heiter Sondre og er 15", "Sondre"),
        ("vennen min Per sa det", "Per"),
        ("venninna mi Mai har det vondt", "Mai"),
        ("kanskje tante Hege kan hjelpe", "Hege"),
        ("Jeg heter Marte Solberg, telefon", "Marte Solberg"),
        ("ok takk tonje", "tonje"),
        ("Hei, Liv! Du har kommet til Alarmtelefonen.", "Liv"),
        ("i friminuttene er jeg mest med Selma", "Selma"),
        ("det var ein gut der, sondre, han er 18", "sondre"),
    ],
)
def test_names_with_context_or_capitalisation(find, surfaces, text, name):
    assert (name, "PERSON") in find(text)


@pytest.mark.parametrize(
    ("text", "place"),
    [("nå bor jeg hos pappa i Ski", "Ski"), ("vi bor i tromsø", "tromsø"), ("hytta på Stord var full", "Stord"),
     ("han flytta til Kristiansand", "Kristiansand"), ("æ bor på Lade", "Lade"), ("jeg bor i moss", "moss")],
)
def test_places(find, surfaces, text, place):
    assert (place, "LOCATION") in find(text)


@pytest.mark.parametrize(
    "text",
    ["det er så kjipt liv", "vi feirer 17. mai hos bestemor", "det koster 100 kr per dag", "vi skal på ski i ferien",
     "sola skinte hele dagen", "det tok en time", "gro litt til"],
)
def test_ordinary_words_that_are_also_names_stay(find, surfaces, text):
    assert surfaces(text) == set()


KINSHIP = ["mamma", "pappa", "mor", "far", "stefar", "stemor", "bestemor", "bestefar", "onkel", "tante", "søster", "bror", "læreren", "kontaktlærer", "rektor", "helsesykepleier", "helsesøster", "trener", "barnevernet", "politiet", "BUP", "SFO", "krisesenter", "legevakt"]


@pytest.mark.parametrize("word", KINSHIP)
def test_kinship_and_role_words_are_never_removed(find, surfaces, word):
    for text in (f"{word} sa det", f"jeg snakket med {word.capitalize()} i går", f"Hei {word}!"):
        assert surfaces(text) == set(), text


def test_the_service_the_country_and_platforms_are_allowed(find, surfaces):
    text = "Hei! Du har kommet til Alarmtelefonen for barn og unge. I Norge bruker mange Snapchat, TikTok og Discord."
    assert surfaces(text) == set()


def test_a_name_after_a_kinship_word_is_cut_from_it(deidentifier):
    spans = deidentifier.messages.analyze("kanskje tante Hege kan hjelpe")
    assert [(s.start, s.end) for s in spans] == [(14, 18)]


def test_a_youth_team_named_by_its_class_is_an_organization(find):
    assert ("Lyn G15", "ORGANIZATION") in find("Noen på laget (Lyn G15) kaller meg ting")
    assert ("Brann J14", "ORGANIZATION") in find("jeg spiller på Brann J14 nå")
    assert "ORGANIZATION" not in {kind for _, kind in find("vi har kamp kl 15 i morgen")}
