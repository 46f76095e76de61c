"""The generator's parts: template compiling, phrase books, styles, PII pools."""

from __future__ import annotations

import random
import re
import shutil

import pytest
from stdnum.no import fodselsnummer

from research.contracts import load_taxonomy
from research.corpus.synth import assemble, render
from research.corpus.synth_marginals import load_marginals
from research.corpus.synth_pii import PiiPools
from research.corpus.synth_scenes import Beat, check_coverage
from research.corpus.synth_style import StylePicker, second_person
from research.corpus.synth_templates import SCRIPTS_DIR, Slot, TemplateError, compile_template, load_scripts

TAX = load_taxonomy()
BOOK = load_scripts()


def test_alternatives_expand_and_nest():
    variants = compile_template("hei (du|dere( to|)) {name}", frozenset({"name"}))
    assert variants == [("hei du ", Slot("name")), ("hei dere to ", Slot("name")), ("hei dere ", Slot("name"))]


def test_optional_parts_leave_no_double_spaces():
    assert compile_template("(og|) jeg er (veldig|) lei .") == [("og jeg er veldig lei.",), ("og jeg er lei.",),
                                                               ("jeg er veldig lei.",), ("jeg er lei.",)]


def test_capitalised_slot_is_the_slot_capitalised():
    assert compile_template("{Perp} slo", frozenset({"perp"})) == [(Slot("perp", True), " slo")]


@pytest.mark.parametrize(("template", "message"), [
    ("hei (du", "unclosed"),
    ("hei du)", "unmatched"),
    ("hei (du) der", "without '|'"),
    ("hei {nobody}", "unknown slot"),
    ("a | b", "outside a group"),
])
def test_broken_templates_are_refused_with_the_reason(template, message):
    with pytest.raises(TemplateError, match=re.escape(message)):
        compile_template(template, frozenset({"name"}))


def test_a_broken_phrase_book_names_file_group_and_template(tmp_path):
    broken = tmp_path / "scripts"
    shutil.copytree(SCRIPTS_DIR, broken)
    path = broken / "categories" / "mobbing.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("moves: [U_HINT]", "moves: [U_NOPE]", 1), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"mobbing\.yaml: group hint: unknown move 'U_NOPE'"):
        load_scripts(broken)


def test_duplicate_groups_are_refused(tmp_path):
    broken = tmp_path / "scripts"
    shutil.copytree(SCRIPTS_DIR, broken)
    path = broken / "common.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n  greeting:\n    moves: [U_GREETING]\n    say: [hei]\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="duplicate key 'greeting'"):
        load_scripts(broken)


def test_scripts_must_cover_what_the_marginals_draw(tmp_path):
    broken = tmp_path / "scripts"
    shutil.copytree(SCRIPTS_DIR, broken)
    path = broken / "categories" / "vold_annen.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  friend:\n", "  friends:\n", 1), encoding="utf-8")
    with pytest.raises(TemplateError, match="vold_annen: no phrase group 'friend'"):
        check_coverage(load_scripts(broken), load_marginals())
    check_coverage(BOOK, load_marginals())  # the shipped books do


def test_every_category_has_a_script_with_many_phrasings():
    violence = set(TAX.violence_codes)
    for code, script in BOOK.categories.items():
        core = ["context", "hint"] + (["disclosure"] if code in violence else [])
        for name in core:
            assert script.groups[name].size >= 15, f"{code}.{name} has only {script.groups[name].size} phrasings"


def test_common_moves_have_many_phrasings():
    for name in ("greeting", "test_early", "emotion", "help", "thanks", "opening", "open_q", "validate", "closing"):
        assert BOOK.common[name].size >= 15, name


def test_style_keeps_pii_spans_aligned():
    picker = StylePicker(BOOK.style)
    fill = {"name": ("Ida", "PERSON"), "school": ("Bjørkelund skole", "ORGANIZATION"), "perp": ("pappa", None)}
    beat = Beat("user", ("U_CONTEXT",), ("jeg heter ", Slot("name"), " og går på ", Slot("school"), " hvor pappa ikke er"), fill)
    for seed in range(200):
        rng = random.Random(seed)
        style = picker.pick(rng, rng.choice(list(TAX.channels)), False, rng.randint(5, 18))
        text, spans = assemble([render(beat, style, rng), render(beat, style, rng)], [" "])
        assert [s["type"] for s in spans] == ["PERSON", "ORGANIZATION"] * 2
        for span in spans:
            assert text[span["start"] : span["end"]] == span["text"]
            assert span["text"].lower() in ("ida", "bjørkelund skole")


def test_counsellor_speaks_in_second_person():
    assert second_person("stefaren min") == "stefaren din"
    assert second_person("lillesøstera mi") == "lillesøstera di"
    assert second_person("minutter") == "minutter"


def test_pools_are_seeded_and_ids_valid():
    first = PiiPools.for_seed(3, BOOK.lexicon)
    again = PiiPools.for_seed(3, BOOK.lexicon)
    other = PiiPools.for_seed(4, BOOK.lexicon)
    assert first.phones.numbers == again.phones.numbers
    assert first.phones.numbers != other.phones.numbers
    rng = random.Random(1)
    for year in (2006, 2012, 2019):
        number, born = first.birth_ids.draw(rng, year)
        assert fodselsnummer.is_valid(number)
        assert fodselsnummer.get_birth_date(number) == born
