"""The suggestion output follows contract.md §2; the shipped model loads with
no MLflow and tells disclosures from negations, hypotheticals and figures of speech."""

from __future__ import annotations

import datetime
import re

import pytest

from research.classify import SHIPPED_MODEL_DIR, load_suggester
from research.classify.persist import MODEL_FILE, UntrustedModelError, load_model, save_model
from research.contracts import Conversation, load_taxonomy


def _conversation(cid: str, *messages: tuple[str, str]) -> dict:
    return {
        "conversation_id": cid, "channel": "chat", "started_at": "2024-05-02T18:00:00", "deidentified": True,
        "messages": [{"speaker": speaker, "text": text} for speaker, text in messages],
    }


def check_contract(row: dict, source: dict) -> None:
    taxonomy = load_taxonomy()
    Conversation.model_validate(row)  # still a valid conversation
    assert row["deidentified"] is True
    s = row["suggestions"]
    assert set(s) == {"model", "categories", "category_scores", "disclosure_turn", "disclosure_score"}
    assert re.fullmatch(r"disclosure-classifier/[\w.-]+", s["model"])
    assert set(s["category_scores"]) == set(taxonomy.category_codes)
    assert all(0.0 <= v <= 1.0 for v in s["category_scores"].values())
    scores = [c["score"] for c in s["categories"]]
    assert scores == sorted(scores, reverse=True)
    assert all(s["category_scores"][c["code"]] == c["score"] for c in s["categories"])
    assert s["disclosure_turn"] is None or 0 <= s["disclosure_turn"] < len(row["messages"])
    if s["disclosure_turn"] is not None:
        assert row["messages"][s["disclosure_turn"]]["speaker"] == "user"
    assert 0.0 <= s["disclosure_score"] <= 1.0
    assert len(row["messages"]) == len(source["messages"])
    for message, original in zip(row["messages"], source["messages"], strict=True):
        assert message["text"] == original["text"]
        own = set(taxonomy.moves_for(message["speaker"]))
        assert message["suggested_moves"], "every message gets at least one move"
        assert {m["code"] for m in message["suggested_moves"]} <= own
        assert all(0.0 <= m["score"] <= 1.0 for m in message["suggested_moves"])


def test_suggestions_follow_the_contract(small_model, small_corpus):
    conversations = small_corpus.heldout[:6]
    rows = small_model.suggest(conversations)
    assert len(rows) == len(conversations)
    for row, source in zip(rows, conversations, strict=True):
        check_contract(row, source)
        assert "suggestions" not in source, "the input is not modified"
    thresholds = dict(zip(small_model.category_codes, small_model.category_thresholds, strict=True))
    for row in rows:
        suggested = {c["code"] for c in row["suggestions"]["categories"]}
        assert suggested == {code for code, v in row["suggestions"]["category_scores"].items()
                             if v >= round(thresholds[code], 4) and thresholds[code] <= 1}


def test_the_decision_thresholds_are_the_ones_suggest_decides_by(small_model, small_corpus):
    """What the pipeline hands the store beside the suggestions (not in the output)."""
    thresholds = small_model.decision_thresholds
    assert thresholds["category_thresholds"] == dict(zip(small_model.category_codes,
                                                         small_model.category_thresholds.tolist(), strict=True))
    disclosure = thresholds["disclosure_threshold"]
    assert disclosure == small_model.disclosure.threshold_
    for row in small_model.suggest(small_corpus.heldout[:12]):
        s = row["suggestions"]
        if abs(s["disclosure_score"] - disclosure) > 1e-4:  # scores are rounded to 4 places
            assert (s["disclosure_turn"] is not None) == (s["disclosure_score"] >= disclosure)


def test_empty_batch_gives_empty_list(small_model):
    assert small_model.suggest([]) == []


def test_skops_round_trip_gives_identical_suggestions(small_model, small_corpus, tmp_path):
    path = save_model(small_model, tmp_path / MODEL_FILE)
    loaded = load_model(path)
    before = small_model.suggest(small_corpus.heldout[:4])
    after = loaded.suggest(small_corpus.heldout[:4])
    assert before == after
    assert load_suggester(str(tmp_path)).model_name == "disclosure-classifier/local"


def test_a_model_file_with_a_foreign_type_is_refused(small_model, tmp_path):
    small_model.info["when"] = datetime.date(2024, 1, 1)  # not one of the trusted modules
    try:
        path = save_model(small_model, tmp_path / MODEL_FILE)
    finally:
        del small_model.info["when"]
    with pytest.raises(UntrustedModelError, match="datetime"):
        load_model(path)


# --------------------------------------------------------------------------- the shipped model

NOT_DISCLOSURES = {
    "negation": _conversation(
        "N1",
        ("counsellor", "Hei, du snakker med Alarmtelefonen for barn og unge. Hva vil du prate om?"),
        ("user", "hei. jeg lurer bare på noe"),
        ("user", "foreldrene mine krangler mye, men de har aldri slått meg eller gjort meg noe"),
        ("counsellor", "Så det er mye krangling hjemme. Hvordan er det for deg når de krangler?"),
        ("user", "det er bare kjipt å høre på. ingen gjør meg vondt altså"),
        ("counsellor", "Det skjønner jeg. Takk for at du forteller hvordan du har det."),
        ("user", "takk for at du svarte"),
    ),
    "hypothetical": _conversation(
        "N2",
        ("user", "hei jeg har et spørsmål"),
        ("counsellor", "Hei! Bare spør."),
        ("user", "hva skjer hvis en voksen slår et barn? vi har om det på skolen"),
        ("user", "liksom hvis det hadde skjedd med noen, hva ville dere gjort da"),
        ("counsellor", "Voksne har ikke lov til å slå barn. Om noen forteller oss det, hjelper vi dem å finne en trygg voksen."),
        ("user", "ok takk, det var bare det"),
    ),
    "figure of speech": _conversation(
        "N3",
        ("counsellor", "Hei, du chatter med Alarmtelefonen. Hva har skjedd?"),
        ("user", "mamma dreper meg hvis hun ser karakteren min i matte 😅"),
        ("user", "fikk 2 på prøven"),
        ("counsellor", "Det høres ut som du gruer deg til å vise henne prøven. Hva tror du hun sier?"),
        ("user", "hun blir sikkert sur og sier jeg må øve mer. hun er egentlig snill"),
        ("counsellor", "Kanskje du kan vise henne prøven sammen med en plan for å øve?"),
        ("user", "ja kanskje. takk"),
    ),
}

EXPLICIT = _conversation(
    "D1",
    ("counsellor", "Hei! Du snakker med Alarmtelefonen for barn og unge. Hva har skjedd?"),
    ("user", "hei"),
    ("user", "stefaren min slo meg i går kveld fordi jeg kom for sent hjem"),
    ("counsellor", "Så bra at du forteller meg det. Voksne har ikke lov til å slå barn."),
    ("user", "jeg har blåmerke på armen og tør ikke gå hjem i dag"),
    ("counsellor", "Er du på et trygt sted akkurat nå?"),
    ("user", "ja hos en venninne"),
)


@pytest.fixture(scope="module")
def shipped():
    if not (SHIPPED_MODEL_DIR / MODEL_FILE).exists():
        pytest.fail(f"the shipped model is missing: run `make classifier-model` ({SHIPPED_MODEL_DIR})")
    return load_suggester()


@pytest.mark.parametrize("kind", sorted(NOT_DISCLOSURES))
def test_shipped_model_finds_no_disclosure_in(shipped, kind):
    row = shipped.suggest([NOT_DISCLOSURES[kind]])[0]
    check_contract(row, NOT_DISCLOSURES[kind])
    assert row["suggestions"]["disclosure_turn"] is None, kind


def test_shipped_model_finds_an_explicit_disclosure(shipped):
    row = shipped.suggest([EXPLICIT])[0]
    check_contract(row, EXPLICIT)
    assert row["suggestions"]["model"] == "disclosure-classifier/shipped"
    assert row["suggestions"]["disclosure_turn"] in (1, 2, 3)
    assert row["suggestions"]["disclosure_score"] > 0.5
    scores = row["suggestions"]["category_scores"]
    assert max(scores, key=scores.get) in load_taxonomy().violence_codes
