"""Whole conversations through the shipped pipeline: spans, propagation,
context enhancement, the de-identified output."""

from __future__ import annotations

import json

from research.anonymize.analyzer import SpanCache, build_analyzer
from research.anonymize.nlp_engine import LANGUAGE
from research.anonymize.spans import Span
from research.anonymize.text import words
from research.contracts import Conversation

GOLD = {
    "conversation_id": "G1", "channel": "chat", "started_at": "2024-05-02T18:30:00", "age": 13,
    "messages": [
        {"speaker": "user", "text": "hei. jeg heter Tuva og går på Solsikkeveien skole i Porsgrunn",
         "pii": [{"start": 15, "end": 19, "type": "PERSON", "text": "Tuva"}]},
        {"speaker": "counsellor", "text": "Hei Tuva, så fint at du skriver. Ring oss gjerne på 116 111."},
        {"speaker": "user", "text": "broren min Mathias slår meg. han har snap: matte_2009. mobilen min er 412 34 567"},
        {"speaker": "user", "text": "mathias sier at mamma ikke må vite det"},
    ],
}


def test_spans_point_into_the_original_text_and_hold_no_text(deidentifier):
    conv = Conversation.model_validate(GOLD)
    [result] = deidentifier.deidentify([conv])
    line = result.spans_json()
    assert line["conversation_id"] == "G1"
    assert len(line["messages"]) == len(conv.messages)
    surfaces = [
        conv.messages[i].text[span["start"] : span["end"]]
        for i, spans in enumerate(line["messages"]) for span in spans
    ]
    assert {"Tuva", "Solsikkeveien skole", "Porsgrunn", "Mathias", "matte_2009", "412 34 567", "mathias"} <= set(surfaces)
    assert all(set(span) == {"start", "end", "type"} for spans in line["messages"] for span in spans)
    dumped = json.dumps(line, ensure_ascii=False)
    assert not any(surface in dumped for surface in surfaces)


def test_output_drops_gold_pii_and_is_marked_deidentified(deidentifier):
    [result] = deidentifier.deidentify([Conversation.model_validate(GOLD)])
    data = result.to_json()
    assert data["deidentified"] is True
    assert all("pii" not in message for message in data["messages"])
    text = json.dumps(data, ensure_ascii=False)
    for secret in ("Tuva", "Solsikkeveien", "Porsgrunn", "Mathias", "mathias", "matte_2009", "412 34 567"):
        assert secret not in text
    assert "116 111" in text and "mamma" in text and "broren" in text


def test_a_name_found_once_is_found_in_every_message(deidentifier):
    [result] = deidentifier.deidentify([Conversation.model_validate(GOLD)])
    assert result.conversation.messages[3].text.startswith("<PERSON_2> sier at mamma")


def test_a_context_word_raises_a_score(deidentifier):
    analyzer = deidentifier.messages.engine
    with_context = analyzer.analyze("Han er født 03.02.2011.", language=LANGUAGE, return_decision_process=True)
    without = analyzer.analyze("Møtet var 03.02.2011.", language=LANGUAGE, return_decision_process=True)
    [born], [meeting] = with_context, without
    assert born.analysis_explanation.supportive_context_word == "fød"
    assert born.score > meeting.score


def test_the_pipeline_lemmatizes_for_context():
    # the enhancer compares lemmas: «heter» must reach the context word «hete»
    analyzer = build_analyzer()
    artifacts = analyzer.nlp_engine.process_text("jeg heter liv og bor i Ski", LANGUAGE)
    assert {"hete", "bo"} <= set(artifacts.lemmas)


def test_batched_and_single_analysis_agree(deidentifier):
    texts = [m["text"] for m in GOLD["messages"]] * 2
    batched = deidentifier.messages.analyze_many(texts, batch_size=3)
    assert batched == [deidentifier.messages.analyze(text) for text in texts]


def test_the_span_cache_holds_digests_and_offsets_only():
    cache = SpanCache(size=2)
    for text in ("jeg heter Tuva", "ok", "takk"):
        cache.put(SpanCache.key(text), [Span(0, 2, "PERSON")])
    assert cache.get(SpanCache.key("jeg heter Tuva")) is None  # the oldest is forgotten
    assert cache.get(SpanCache.key("takk")) == (Span(0, 2, "PERSON"),)
    assert all(isinstance(key, bytes) and len(key) == 16 for key in cache._spans)
    assert b"takk" not in b"".join(cache._spans)


def test_no_raw_text_lingers_in_module_caches(deidentifier):
    deidentifier.messages.analyze_many(["jeg heter Tuva", "ok"])
    deidentifier.messages.analyze("jeg heter Tuva")
    assert words.cache_info().currsize == 0


def test_a_name_inside_a_handle_is_a_name_elsewhere(deidentifier):
    conv = Conversation.model_validate({
        "conversation_id": "H1", "channel": "chat", "started_at": "2024-05-02T18:30:00",
        "messages": [
            {"speaker": "user", "text": "han jeg spiller med. zorrokatten_2011 på discord"},
            {"speaker": "user", "text": "Zorrokatten sa at ingen ville tro meg"},
        ],
    })
    [result] = deidentifier.deidentify([conv])
    assert [m.text for m in result.conversation.messages] == [
        "han jeg spiller med. <USERNAME_1> på discord",
        "<PERSON_1> sa at ingen ville tro meg",
    ]
