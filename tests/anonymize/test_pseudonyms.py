"""Consistent tags within a conversation, kept in memory only."""

from __future__ import annotations

from research.anonymize.pseudonyms import PseudonymMap
from research.anonymize.spans import Span
from research.contracts import Conversation


def test_case_and_genitive_share_a_tag():
    tags = PseudonymMap()
    assert tags.tag("PERSON", "Ida") == "<PERSON_1>"
    assert tags.tag("PERSON", "ida") == "<PERSON_1>"
    assert tags.tag("PERSON", "Idas") == "<PERSON_1>"
    assert tags.tag("PERSON", "Jonas") == "<PERSON_2>"
    assert tags.tag("LOCATION", "Oslo") == "<LOCATION_1>"


def test_a_full_name_and_its_first_name_share_a_tag():
    tags = PseudonymMap()
    assert tags.tag("PERSON", "Marte Solberg") == tags.tag("PERSON", "Marte") == "<PERSON_1>"
    assert tags.tag("PERSON", "Martin") == "<PERSON_2>"


def test_phone_numbers_compare_by_digits():
    tags = PseudonymMap()
    assert tags.tag("PHONE_NUMBER", "+47 412 34 567") == tags.tag("PHONE_NUMBER", "41234567") == "<PHONE_NUMBER_1>"


def test_the_map_never_shows_what_it_holds():
    tags = PseudonymMap()
    tags.tag("PERSON", "Sondre")
    assert "Sondre" not in repr(tags) and "sondre" not in repr(tags) and "sondre" not in str(tags)


def conversation(*texts: str) -> Conversation:
    speakers = ["user", "counsellor"]
    return Conversation.model_validate({
        "conversation_id": "T1", "channel": "chat", "started_at": "2024-03-01T19:00:00",
        "messages": [{"speaker": speakers[i % 2], "text": text} for i, text in enumerate(texts)],
    })


def test_child_and_counsellor_share_tags_across_a_conversation(deidentifier):
    conv = conversation("jeg heter ida og bor i Bodø", "Hei, Ida! Hvordan er det i Bodø?", "idas mamma vet ikke")
    [result] = deidentifier.deidentify([conv])
    texts = [m.text for m in result.conversation.messages]
    assert texts == [
        "jeg heter <PERSON_1> og bor i <LOCATION_1>",
        "Hei, <PERSON_1>! Hvordan er det i <LOCATION_1>?",
        "<PERSON_1> mamma vet ikke",
    ]


def test_each_conversation_starts_its_own_numbering(deidentifier):
    first, second = deidentifier.deidentify([conversation("jeg heter Sondre"), conversation("jeg heter Emma")])
    assert first.conversation.messages[0].text == "jeg heter <PERSON_1>"
    assert second.conversation.messages[0].text == "jeg heter <PERSON_1>"


def test_tags_are_numbered_in_reading_order(deidentifier):
    text = "Hei, jeg heter Emma og vennen min Nora er her"
    spans = [Span(15, 19, "PERSON"), Span(34, 38, "PERSON")]
    assert deidentifier.pseudonymize(text, spans, PseudonymMap()) == "Hei, jeg heter <PERSON_1> og vennen min <PERSON_2> er her"
