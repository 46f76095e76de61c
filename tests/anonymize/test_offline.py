"""De-identification needs no network: no model hub, no suffix-list fetch,
no telemetry. The autouse guard in tests/conftest.py fails any outside
connection; here every connect attempt, even to loopback, is recorded."""

from __future__ import annotations

import socket

import pytest

from research.anonymize.nlp_engine import PipelineMissingError, ProjectSpacyNlpEngine, ner_configuration
from research.anonymize.recognizers.web import offline_tld_extractor
from research.contracts import Conversation, load_taxonomy


def test_anonymization_attempts_no_connection_at_all(deidentifier, monkeypatch):
    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda sock, address: attempts.append(address))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda sock, address: attempts.append(address) or 111)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: attempts.append(args) or [])
    conv = Conversation.model_validate({
        "conversation_id": "N1", "channel": "epost", "started_at": "2024-02-02T10:00:00",
        "messages": [{"speaker": "user", "text": "Skriv til ola.nordmann@example.no eller se https://example.com/side. "
                                                 "Jeg heter Ola og bor i Bergen."}],
    })
    [result] = deidentifier.deidentify([conv])
    assert result.conversation.messages[0].text == (
        "Skriv til <EMAIL_ADDRESS_1> eller se <URL_1>. Jeg heter <PERSON_1> og bor i <LOCATION_1>."
    )
    assert attempts == []


def test_the_suffix_list_is_the_bundled_snapshot():
    extractor = offline_tld_extractor()
    assert extractor.suffix_list_urls == ()
    assert extractor("https://drive-share.link/f/1").suffix == "link"


def test_a_missing_pipeline_is_an_error_not_a_download(tmp_path):
    engine = ProjectSpacyNlpEngine(path=tmp_path / "nb_chat_ner")
    with pytest.raises(PipelineMissingError, match="missing"):
        engine.load()


def test_the_ner_labels_map_to_the_pii_types_of_the_taxonomy():
    mapping = ner_configuration().model_to_presidio_entity_mapping
    assert mapping == {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION"}
    assert set(mapping.values()) <= set(load_taxonomy().pii_types)
