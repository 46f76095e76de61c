"""Scores of a pipeline: NorNE dev (as written and lowercased) and recall on chat PII spans.

NorNE dev is scored with spaCy's own NER scorer on the pipeline's own
tokenisation of each sentence (exact span and label). Alongside it, the leak
rate: the share of gold entities that no predicted entity overlaps at all
(whatever its label), i.e. what would be left in clear text.

The chat development set (contract JSON Lines with gold ``pii`` spans) is for
measurement only. Its PERSON/LOCATION/ORGANIZATION spans are compared with the
predicted entities: exact recall (same offsets and label) and overlap recall
(any predicted entity touches the span).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.scorer import get_ner_prf
from spacy.training import Example

from research.contracts import read_conversations

from .labels import load_label_scheme
from .norne import DEV_FILES, read_conllu
from .sentence import TaggedSentence


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def _rounded(value: float) -> float:
    return round(float(value), 4)


def prf_scores(examples: Sequence[Example]) -> dict[str, Any]:
    """Micro and per-type precision/recall/F1 (exact spans), plus the leak rate and counts."""
    prf = get_ner_prf(examples)
    gold_total = leaked = 0
    per_type_counts: dict[str, int] = {}
    for example in examples:
        predicted = [(ent.start_char, ent.end_char) for ent in example.predicted.ents]
        for ent in example.reference.ents:
            gold_total += 1
            per_type_counts[ent.label_] = per_type_counts.get(ent.label_, 0) + 1
            leaked += not _overlaps(ent.start_char, ent.end_char, predicted)
    per_type = {
        label: {metric: _rounded(value) for metric, value in scores.items()} | {"n": per_type_counts.get(label, 0)}
        for label, scores in sorted((prf.get("ents_per_type") or {}).items())
    }
    return {
        "precision": _rounded(prf["ents_p"]),
        "recall": _rounded(prf["ents_r"]),
        "f1": _rounded(prf["ents_f"]),
        "leak_rate": _rounded(leaked / gold_total) if gold_total else 0.0,
        "entities": gold_total,
        "per_type": per_type,
    }


def score_sentences(nlp: Language, sentences: Sequence[TaggedSentence], lowercase: bool = False) -> dict[str, Any]:
    if lowercase:
        sentences = [s.with_words([word.lower() for word in s.words]) for s in sentences]
    references = [s.to_doc(nlp.vocab) for s in sentences]
    predicted = nlp.pipe(reference.text for reference in references)
    return prf_scores([Example(doc, reference) for doc, reference in zip(predicted, references, strict=True)])


def score_norne_dev(nlp: Language, norne: Path) -> dict[str, Any]:
    scores: dict[str, Any] = {}
    for language, filename in DEV_FILES.items():
        sentences, problems = read_conllu(norne / filename)
        scores[language] = {
            "sentences": len(sentences),
            "unreadable_sentences": len(problems),
            "written": score_sentences(nlp, sentences),
            "lowercased": score_sentences(nlp, sentences, lowercase=True),
        }
    return scores


def score_chat_pii(nlp: Language, path: Path) -> dict[str, Any]:
    """Recall of the pipeline on the PERSON/LOCATION/ORGANIZATION spans of a gold contract file."""
    scheme = load_label_scheme()
    conversations, problems = read_conversations(path)
    messages = [message for conversation in conversations for message in conversation.messages]
    counts = {label: {"n": 0, "exact": 0, "overlap": 0} for label in scheme.labels}
    predicted_total = predicted_on_pii = 0
    for message, doc in zip(messages, nlp.pipe(m.text for m in messages), strict=True):
        gold = [(span.start, span.end, scheme.model_label_of_pii(span.type)) for span in message.pii or []]
        found = {(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents}
        for start, end, label in gold:
            if label is None:
                continue
            counts[label]["n"] += 1
            counts[label]["exact"] += (start, end, label) in found
            counts[label]["overlap"] += _overlaps(start, end, [(s, e) for s, e, _ in found])
        predicted_total += len(found)
        predicted_on_pii += sum(_overlaps(s, e, [(gs, ge) for gs, ge, _ in gold]) for s, e, _ in found)
    total = {key: sum(c[key] for c in counts.values()) for key in ("n", "exact", "overlap")}
    return {
        "messages": len(messages),
        "unreadable_lines": len({p.line for p in problems}),
        "per_type": {label: _recalls(c) for label, c in counts.items()},
        "all": _recalls(total),
        "predicted_entities": predicted_total,
        "predicted_on_gold_pii": _rounded(predicted_on_pii / predicted_total) if predicted_total else 0.0,
    }


def _recalls(counts: dict[str, int]) -> dict[str, Any]:
    n = counts["n"]
    return {
        "n": n,
        "exact_recall": _rounded(counts["exact"] / n) if n else 0.0,
        "overlap_recall": _rounded(counts["overlap"] / n) if n else 0.0,
    }


def words_per_second(nlp: Language, texts: Sequence[str], batch_size: int = 256) -> float:
    """Throughput of nlp.pipe on ``texts`` (one run; informative, not a benchmark)."""
    start = time.perf_counter()
    words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    return round(words / (time.perf_counter() - start))


def evaluate_pipeline(nlp: Language, norne: Path, chat_dev: Path | None = None) -> dict[str, Any]:
    scores: dict[str, Any] = {"norne_dev": score_norne_dev(nlp, norne)}
    if chat_dev is not None:
        scores["chat_dev"] = score_chat_pii(nlp, chat_dev)
    sentences, _ = read_conllu(norne / DEV_FILES["nob"])
    scores["throughput_words_per_second"] = words_per_second(nlp, [s.text for s in sentences])
    return scores

