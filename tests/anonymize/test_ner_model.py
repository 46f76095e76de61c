"""The shipped Norwegian chat NER pipeline and the code that builds it."""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.training import Example

from research.anonymize.ner_training.augment import AppendEmoji, ChatAugmenter, Misspeller, StripPunctuation
from research.anonymize.ner_training.calibrate import RecallCalibrator, f_beta, shift_outside_bias
from research.anonymize.ner_training.chat_templates import ChatExampleGenerator
from research.anonymize.ner_training.evaluate import prf_scores
from research.anonymize.ner_training.labels import load_label_scheme
from research.anonymize.ner_training.lemmas import build_lemma_table
from research.anonymize.ner_training.lexicon import load_lexicon
from research.anonymize.ner_training.norne import read_conllu
from research.anonymize.ner_training.sentence import TaggedSentence
from research.anonymize.ner_training.train import swap_into_place
from research.contracts import Problem, load_taxonomy
from research.paths import MODELS_DIR

MODEL = MODELS_DIR / "nb_chat_ner"


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(MODEL)


def entities(nlp, text: str) -> set[tuple[str, str]]:
    return {(ent.text, ent.label_) for ent in nlp(text).ents}


# --------------------------------------------------------------------------- the shipped pipeline


def test_pipeline_loads_from_the_project_path_without_network():
    # the autouse network guard is active here: any hub or lookups-data fetch would fail
    loaded = spacy.load(MODEL)
    assert loaded.meta["name"] == "nb_chat_ner"
    assert loaded.lang == "nb"


def test_pipeline_is_small_and_has_the_expected_components_and_labels(nlp):
    size = sum(f.stat().st_size for f in MODEL.rglob("*") if f.is_file())
    assert size < 25 * 1024 * 1024
    assert nlp.pipe_names[:3] == ["tok2vec", "ner", "lemmatizer"]
    assert not {"parser", "tagger", "morphologizer"} & set(nlp.pipe_names)
    assert nlp.vocab.vectors.shape[0] == 0
    assert set(nlp.get_pipe("ner").labels) == set(load_label_scheme().labels) == {"PER", "LOC", "ORG"}
    assert (MODEL / "MODEL_CARD.md").is_file() and (MODEL / "scores.json").is_file()


def test_metadata_maps_every_label_to_a_taxonomy_pii_type(nlp):
    mapping = nlp.meta["pii_entity_mapping"]
    assert set(mapping) == set(nlp.get_pipe("ner").labels)
    assert set(mapping.values()) <= set(load_taxonomy().pii_types)


@pytest.mark.parametrize(
    ("text", "person", "place"),
    [
        ("Jeg heter Ida og bor i Bodø", "Ida", "Bodø"),
        ("jeg heter ida og bor i bodø", "ida", "bodø"),
        ("eg heiter Sigrid og bur på Voss", "Sigrid", "Voss"),
    ],
)
def test_finds_a_name_and_a_place_in_a_chat_message(nlp, text, person, place):
    found = entities(nlp, text)
    assert (person, "PER") in found
    assert (place, "LOC") in found


@pytest.mark.parametrize(
    "text",
    ["mamma og pappa krangler hele tiden", "Mamma sa at pappa ikke får vite det", "pappa slo mamma i går kveld"],
)
def test_kinship_words_are_not_entities(nlp, text):
    tagged = {ent.text.lower() for ent in nlp(text).ents}
    assert not tagged & {"mamma", "pappa"}


def test_tokens_have_lemmas_for_presidio_context_words(nlp):
    lemmas = {token.text: token.lemma_ for token in nlp("Jeg heter Ida og bor i Bodø")}
    assert lemmas["heter"] == "hete"
    assert lemmas["bor"] == "bo"
    assert {t.text: t.lemma_ for t in nlp("Heter du Ida? eg heiter Ola")}["heiter"] == "heite"


# --------------------------------------------------------------------------- NorNE conversion

CONLLU = """# sent_id = a:1
1\tOla\tOla\t_\tsubst\t_\t2\tSUBJ\t_\tname=B-PER
2\tNordmann\tNordmann\t_\tsubst\t_\t3\tSUBJ\t_\tname=I-PER
3\tbor\tbo\t_\tverb\t_\t0\tFINV\t_\tname=O
4\ti\ti\t_\tprep\t_\t3\tADV\t_\tname=O
5\tBergen\tBergen\t_\tsubst\t_\t4\tPUTFYLL\t_\tname=B-GPE_LOC
6\tog\tog\t_\tkonj\t_\t3\tKONJ\t_\tname=O
7\tleser\tlese\t_\tverb\t_\t3\tKOORD\t_\tname=O
8\tAftenposten\tAftenposten\t_\tsubst\t_\t7\tDOBJ\t_\tname=B-PROD
9\tfra\tfra\t_\tprep\t_\t7\tADV\t_\tname=O
10\tStortinget\tStorting\t_\tsubst\t_\t9\tPUTFYLL\t_\tname=B-GPE_ORG
11\t.\t$.\t_\tclb\t_\t3\tIP\t_\tname=O

# sent_id = a:2
1\tbroken line with too few columns

# text = NRK-sjefen i Hamar.
1\tNRK-sjefen\tNRK-sjef\tNOUN\t_\t_\t0\troot\t_\tname=B-DRV
2\ti\ti\tADP\t_\t_\t3\tcase\t_\tname=O
3\tHamar\tHamar\tPROPN\t_\t_\t1\tnmod\t_\tSpaceAfter=No|name=B-LOC
4\t.\t$.\tPUNCT\t_\t_\t1\tpunct\t_\tname=O
5\tNRK\tNRK\tPROPN\t_\t_\t1\tnmod\t_\tname=I-ORG
"""


@pytest.fixture
def conllu_file(tmp_path):
    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    return path


def test_norne_conversion_maps_labels_and_reports_bad_sentences(conllu_file):
    sentences, problems = read_conllu(conllu_file)
    assert len(sentences) == 2
    first, second = sentences
    assert first.tags == ("B-PER", "I-PER", "O", "O", "B-LOC", "O", "O", "O", "O", "B-ORG", "O")
    assert first.entity_spans() == [(0, 2, "PER"), (4, 5, "LOC"), (9, 10, "ORG")]
    assert first.lemmas[2] == "bo"
    # DRV becomes O; an I- tag that follows O starts a new entity
    assert second.tags == ("O", "O", "B-LOC", "O", "B-ORG")
    assert second.text == "NRK-sjefen i Hamar. NRK"
    assert problems == [Problem(str(conllu_file), 15, "columns", "expected 10 tab-separated columns, found 2")]


def test_sentences_become_docs_with_their_entities(conllu_file):
    sentences, _ = read_conllu(conllu_file)
    doc = sentences[0].to_doc(spacy.blank("nb").vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [("Ola Nordmann", "PER"), ("Bergen", "LOC"), ("Stortinget", "ORG")]


def test_lemma_table_covers_lowercase_and_capitalised_forms(conllu_file):
    sentences, _ = read_conllu(conllu_file)
    table = build_lemma_table(sentences)
    assert table["bor"] == table["Bor"] == "bo"
    assert table["leser"] == "lese"
    assert "Bergen" not in table and "." not in table  # forms that are their own lemma are left out


# --------------------------------------------------------------------------- augmentation and templates


def test_punctuation_is_stripped_outside_entities_only():
    sentence = TaggedSentence(
        ("Hei", ",", "A/S", "-", "Bryn", "!"), (False, True, True, True, False, False),
        ("O", "O", "B-ORG", "I-ORG", "I-ORG", "O"),
    )
    stripped = StripPunctuation()(sentence, random.Random(0))
    assert stripped.words == ("Hei", "A/S", "-", "Bryn")
    assert stripped.entity_spans() == [(1, 4, "ORG")]


def test_augmented_copies_keep_entities_and_are_seeded():
    sentence = TaggedSentence(
        ("Jeg", "har", "ikke", "sett", "Kari", "i", "Tromsø", "."), (True,) * 7 + (False,),
        ("O", "O", "O", "O", "B-PER", "O", "B-LOC", "O"),
    )
    augmenter = ChatAugmenter(Misspeller(load_lexicon().informal_spellings), load_lexicon().emoji)
    copies = augmenter.augment([sentence] * 50, random.Random(5))
    assert copies == augmenter.augment([sentence] * 50, random.Random(5))
    assert any(copy.words[4] == "kari" for copy in copies)
    for copy in copies:
        assert copy.entity_spans() == [(4, 5, "PER"), (6, 7, "LOC")]
        assert copy.words[4].lower() == "kari" and copy.words[6].lower() == "tromsø"


def test_template_generator_is_deterministic_for_a_seed():
    first = ChatExampleGenerator(seed=11).generate(300)
    assert first == ChatExampleGenerator(seed=11).generate(300)
    assert first != ChatExampleGenerator(seed=12).generate(300)


def test_template_spans_align_with_text_and_tokens():
    lexicon = load_lexicon()
    labels = set(load_label_scheme().labels)
    kin = {word.lower() for word in lexicon.kin}
    tokenizer = spacy.blank("nb").tokenizer
    examples = ChatExampleGenerator(seed=4).generate(600)
    assert any(not e.spans for e in examples) and any(e.text.islower() and e.spans for e in examples)
    for example in examples:
        for start, end, label in example.spans:
            value = example.text[start:end]
            assert value and value == value.strip() and label in labels
            assert value.lower() not in kin
        doc = example.to_doc(tokenizer)  # raises if a span falls inside a token
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == list(example.spans)


def test_emoji_copies_end_with_an_outside_token():
    sentence = TaggedSentence(("hei", "Kari"), (True, False), ("O", "B-PER"))
    copy = AppendEmoji(["😭"])(sentence, random.Random(0))
    assert copy.text == "hei Kari 😭"
    assert copy.entity_spans() == [(1, 2, "PER")] and copy.tags[-1] == "O"


# --------------------------------------------------------------------------- scoring, calibration, shipping


def test_scores_count_exact_matches_and_leaks_separately():
    vocab = spacy.blank("nb").vocab
    words, spaces = ("Ola", "bor", "i", "Nord", "Odal"), (True, True, True, True, False)
    gold = TaggedSentence(words, spaces, ("B-PER", "O", "O", "B-LOC", "I-LOC")).to_doc(vocab)
    found = TaggedSentence(words, spaces, ("O", "O", "O", "B-LOC", "O")).to_doc(vocab)
    scores = prf_scores([Example(found, gold)])
    assert scores["entities"] == 2
    assert scores["recall"] == 0.0 and scores["precision"] == 0.0  # «Nord» is not «Nord Odal»
    assert scores["leak_rate"] == 0.5  # but it covers part of it: only Ola leaks


def test_outside_bias_shift_trades_precision_for_recall_and_can_be_undone():
    nlp = spacy.load(MODEL)
    trained = nlp.meta.get("outside_bias_shift", 0.0)
    bias = nlp.get_pipe("ner").model.get_ref("upper").get_param("b").copy()
    text = "vi spiste middag i går og så en film etterpå"
    shift_outside_bias(nlp, trained + 100.0)  # O becomes almost impossible: every token opens an entity
    assert len(nlp(text).ents) >= 5
    shift_outside_bias(nlp, trained)
    assert nlp.meta["outside_bias_shift"] == trained
    assert nlp.get_pipe("ner").model.get_ref("upper").get_param("b") == pytest.approx(bias, abs=1e-4)


def test_calibration_takes_the_smallest_near_best_shift_that_keeps_leaks_under_the_cap():
    calibrator = RecallCalibrator(grid=(0.0, 1.0, 2.0, 3.0), tolerance=0.001, max_leak=0.2)
    calibrator.f_scores = {0.0: 0.70, 1.0: 0.7495, 2.0: 0.7502, 3.0: 0.7500}
    calibrator.worst_leaks = {0.0: 0.30, 1.0: 0.22, 2.0: 0.19, 3.0: 0.15}
    assert calibrator.choose() == 2.0  # 1.0 is near-best but leaks too much
    calibrator.max_leak = 0.1
    assert calibrator.choose() == 1.0  # no near-best shift is under the cap: the smallest near-best one


def test_f_beta_weights_recall():
    assert f_beta(0.5, 1.0, 2.0) > f_beta(1.0, 0.5, 2.0)
    assert f_beta(0.8, 0.8, 2.0) == pytest.approx(0.8)


def test_swap_into_place_replaces_the_old_model(tmp_path):
    target, staging = tmp_path / "model", tmp_path / ".model.staging"
    target.mkdir()
    (target / "old.txt").write_text("old")
    staging.mkdir()
    (staging / "new.txt").write_text("new")
    swap_into_place(staging, target)
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
