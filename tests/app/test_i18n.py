"""Every UI string exists in both languages, with the same placeholders, and
every key the app asks for is in the table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app_streamlit.i18n import LANGUAGES, STRINGS, code_label, number, placeholders, translate
from app_streamlit.navigation import PAGES, SECTIONS
from research.store import DecisionType, Role

APP_DIR = Path(__file__).resolve().parents[2] / "app_streamlit"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[\w.]+)["']""")


def test_both_languages_have_the_same_keys():
    nb, en = set(STRINGS["nb"]), set(STRINGS["en"])
    assert sorted(nb - en) == [], "missing in English"
    assert sorted(en - nb) == [], "missing in Norwegian"
    assert set(STRINGS) == set(LANGUAGES)


@pytest.mark.parametrize("key", sorted(STRINGS["nb"]))
def test_each_string_is_filled_with_matching_placeholders(key):
    nb, en = STRINGS["nb"][key], STRINGS["en"].get(key, "")
    assert nb.strip() and en.strip(), f"{key} is empty"
    assert placeholders(nb) == placeholders(en), f"{key}: {{placeholders}} differ between nb and en"


def _literal_keys() -> set[str]:
    keys = set()
    for path in APP_DIR.rglob("*.py"):
        keys.update(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_key_the_app_uses_exists():
    used = _literal_keys()
    used |= {spec.title_key for spec in PAGES} | {f"nav.{section}" for section in SECTIONS} | {"page.login"}
    used |= {f"role.{role.value}" for role in Role} | {f"review.decision.{d.value}" for d in DecisionType}
    assert len(used) > 50  # the scan found the page code
    assert sorted(used - set(STRINGS["nb"])) == []


def test_translate_fills_values_and_refuses_unknown_keys():
    assert translate("app.signed_in_as", "en", username="anna", role="counsellor") == \
        "Signed in as **anna** (counsellor)"
    assert translate("login.failed", "nb") == "Feil brukernavn eller passord."
    with pytest.raises(KeyError):
        translate("no.such.key", "nb")


def test_numbers_and_codes_follow_the_language():
    assert number(0.875, lang="nb") == "0,88"
    assert number(0.25, lang="en") == "0.25"
    assert number(None, lang="en") == "–"
    assert code_label("telefon", "nb") == "Telefon"
    assert code_label("telefon", "en") == "Phone"
    assert code_label("mobbing", "en") == "Bullying and harassment"
