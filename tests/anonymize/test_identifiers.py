"""Fødselsnummer, phone numbers, e-mail, URL, usernames and birth dates."""

from __future__ import annotations

import pytest

from research.anonymize.recognizers.date_of_birth import birth_date
from research.anonymize.recognizers.national_id import is_national_id

# ------------------------------------------------------------------ NO_NATIONAL_ID


@pytest.mark.parametrize(
    "number",
    [
        "15108695088",  # stdnum's own example
        "151086 95088",  # DDMMYY NNNNN
        "55108695071",  # D-nummer (day + 40)
        "15508612335",  # synthetic, month + 40
        "15908612318",  # synthetic, month + 80
    ],
)
def test_valid_and_synthetic_national_ids_are_found(find, number):
    assert is_national_id(number)
    text = f"fødselsnummeret hans er {number}, hvis dere trenger det"
    assert (number, "NO_NATIONAL_ID") in find(text)


@pytest.mark.parametrize("number", ["15108695077", "151086 95089", "170810 48213"])
def test_a_birth_date_with_wrong_check_digits_is_still_masked(find, number):
    """Typed from memory with a digit wrong, the number still identifies someone."""
    assert not is_national_id(number)
    assert (number, "NO_NATIONAL_ID") in find(f"nummeret er {number}")


def test_other_eleven_digit_numbers_need_a_context_word(deidentifier):
    """Context words match lemmas, so this needs the shipped pipeline."""
    assert deidentifier.deidentify_text("koden på pakken er 12345678901") == "koden på pakken er 12345678901"
    assert deidentifier.deidentify_text("personnummeret mitt er 12345678901") == (
        "personnummeret mitt er <NO_NATIONAL_ID_1>")


# ------------------------------------------------------------------ PHONE_NUMBER


@pytest.mark.parametrize(
    "number",
    ["+47 412 34 567", "0047 41234567", "41234567", "412 34 567", "41 23 45 67", "+46 70 123 45 67",
     "+44 7700 900412", "+4795512034"],
)
def test_phone_numbers_in_any_spacing(find, surfaces, number):
    assert (number, "PHONE_NUMBER") in find(f"ring meg på {number} i kveld")


@pytest.mark.parametrize("number", ["110", "112", "113", "116 111", "116 117", "116 123", "02800", "800 33 321"])
def test_help_and_emergency_numbers_stay(find, surfaces, number):
    text = f"Du kan ringe {number} når som helst, det er gratis."
    assert surfaces(text) == set()


def test_a_date_is_not_a_phone_number(find, surfaces):
    types = {kind for _, kind in find("han er født 03.02.2011")}
    assert "PHONE_NUMBER" not in types


# ------------------------------------------------------------------ EMAIL_ADDRESS and URL


def test_email_is_one_hit_and_its_domain_is_not_a_url(find, surfaces):
    text = "Svar heller på m.fjeld.07@gmail.com, den andre mailen leser de"
    assert find(text) == {("m.fjeld.07@gmail.com", "EMAIL_ADDRESS")}


def test_urls_without_trailing_punctuation(find, surfaces):
    text = "Hun har sendt en link, https://del-bilder.example.link/f/8Kx2Qp, og sier at"
    assert find(text) == {("https://del-bilder.example.link/f/8Kx2Qp", "URL")}


def test_an_email_without_a_public_suffix_is_not_reported(find, surfaces):
    assert surfaces("skriv til meg@maskinen.ikkeentld") == set()


# ------------------------------------------------------------------ USERNAME


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("brukernavnet hans er jonas.hxx09. men det er sikkert falskt", "jonas.hxx09"),
        ("adda meg på snap: lillemy_22", "lillemy_22"),
        ("snapen min er sjokoladekaka", "sjokoladekaka"),
        ("hun som heter @fitbymilla på insta", "@fitbymilla"),
        ("han heter sandmannen#4821 der", "sandmannen#4821"),
        ("han jeg spiller med. kevvi_2010 på discord", "kevvi_2010"),
        ("et stygt bilde av meg på xxlillemyxx og alle kommenterte", "xxlillemyxx"),
    ],
)
def test_usernames(find, surfaces, text, handle):
    assert (handle, "USERNAME") in find(text)


def test_platform_names_and_plain_words_are_not_usernames(find, surfaces):
    assert surfaces("han sendte det på snap og så på insta og tiktok") == set()
    assert surfaces("snapen min er dum") == set()


# ------------------------------------------------------------------ DATE_OF_BIRTH


@pytest.mark.parametrize("date", ["03.02.2011", "19.06.07", "2. september 2012", "3/4-12", "2011-02-03", "3-2-2011"])
def test_full_birth_dates(find, surfaces, date):
    assert (date, "DATE_OF_BIRTH") in find(f"jeg er født {date} altså")


@pytest.mark.parametrize(
    "text", ["vi feirer 17. mai hos bestemor", "bursdagen min er 2. september", "klokka er 12.30", "31.02.2011"]
)
def test_dates_that_are_not_full_birth_dates(find, surfaces, text):
    assert surfaces(text) == set()


def test_two_digit_years_and_the_future():
    assert birth_date("19.06.07").year == 2007
    assert birth_date("01.01.99").year == 1999
    assert birth_date("01.01.2999") is None


def test_a_link_to_a_profile_is_one_url_not_an_email(find):
    text = "han la ut et bilde på https://www.tiktok.com/@mariam.lol."
    assert ("https://www.tiktok.com/@mariam.lol", "URL") in find(text)
    assert "EMAIL_ADDRESS" not in {kind for _, kind in find(text)}


def test_an_international_number_of_odd_length_is_still_a_number(find):
    assert ("+44 7700 9500 500", "PHONE_NUMBER") in find("meldinger fra et nummer, +44 7700 9500 500. En voksen")


def test_a_handle_with_a_domain_inside_is_masked_whole(deidentifier):
    """«.fi» inside «fights» is a public suffix: the match must not stop mid-word and leak the rest."""
    masked = deidentifier.deidentify_text("Kontoen heter niendeklasse.fights.")
    assert "ghts" not in masked and "niendeklasse" not in masked
