"""Truecasing the copy the NER reads; the analysis keeps the original text."""

from __future__ import annotations

import pytest

from research.anonymize.truecase import TrueCaser


@pytest.fixture(scope="module")
def truecase(lexicon):
    return TrueCaser(lexicon)


def test_words_that_are_not_ordinary_get_a_capital(truecase):
    assert truecase("jeg bor i tafjord og heter emma") == "jeg bor i Tafjord og heter Emma"


def test_ordinary_inflected_and_allowed_words_stay(truecase):
    text = "mamma og pappa ble sinte i juleferien, kjipt liv på ski 17. mai"
    assert truecase(text) == text


def test_a_writer_who_capitalises_names_is_left_alone(truecase):
    text = "Jeg bor i Bergen og går på skolen med tafjord"
    assert truecase(text) == text


def test_the_copy_keeps_every_offset(truecase):
    text = "ærlig talt bor øystein i ålesund ß"
    assert len(truecase(text)) == len(text)


def test_spans_point_into_the_original_lower_case_text(deidentifier):
    text = "hei jeg heter emma og bor i tromsø"
    spans = deidentifier.messages.analyze(text)
    assert {text[s.start : s.end] for s in spans} >= {"emma", "tromsø"}
