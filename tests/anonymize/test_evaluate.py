"""The evaluation: leaks, over-redaction and NorNE reading."""

from __future__ import annotations

from research.anonymize.evaluate import LeakReport, covered, evaluate_conversations, leaks, read_conllu
from research.anonymize.spans import Span
from research.contracts import Conversation


def test_an_uncovered_letter_is_a_leak_but_punctuation_is_not():
    text = "Idas mamma"
    assert leaks(text, 0, 4, covered([Span(0, 3, "PERSON")], len(text)))  # the genitive s is left
    assert not leaks("Ida.", 0, 4, covered([Span(0, 3, "PERSON")], 4))


def test_report_counts_leaks_over_redaction_and_kinship(deidentifier):
    conv = Conversation.model_validate({
        "conversation_id": "V1", "channel": "chat", "started_at": "2024-02-02T10:00:00",
        "messages": [{"speaker": "user", "text": "jeg heter Sondre og mamma vet det",
                      "pii": [{"start": 10, "end": 16, "type": "PERSON", "text": "Sondre"}]}],
    })
    report = evaluate_conversations([conv], deidentifier)
    assert report.total["PERSON"] == 1 and report.leaked["PERSON"] == 0
    assert report.kinship_words == 1 and report.kinship_removed == 0
    assert report.outside_chars == len("jegheterogmammavetdet") and report.removed_outside_chars == 0


def test_rates():
    report = LeakReport()
    for leaked in (True, False, False, False):
        report.add_item("PERSON", leaked)
    assert report.leak_rate == 0.25
    assert "PERSON" in report.lines()[1]


CONLLU = """# sent_id = 1
# text = Kari Nordmann bor i Tromsø.
1\tKari\tKari\tPROPN\t_\t_\t3\tnsubj\t_\tname=B-PER
2\tNordmann\tNordmann\tPROPN\t_\t_\t1\tflat\t_\tname=I-PER
3\tbor\tbo\tVERB\t_\t_\t0\troot\t_\tname=O
4\ti\ti\tADP\t_\t_\t5\tcase\t_\tname=O
5\tTromsø\tTromsø\tPROPN\t_\t_\t3\tobl\t_\tSpaceAfter=No|name=B-GPE_LOC
6\t.\t$.\tPUNCT\t_\t_\t3\tpunct\t_\tname=O

"""


def test_read_conllu_offsets(tmp_path):
    path = tmp_path / "tiny.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    [sentence] = read_conllu(path)
    assert [(sentence.text[a:b], kind) for a, b, kind in sentence.entities] == [
        ("Kari Nordmann", "PER"), ("Tromsø", "GPE_LOC")
    ]
