"""Recall calibration: shift the NER's bias against the O action, tuned on NorNE dev.

A greedy transition-based NER has no score threshold, but its last layer has
one bias per action. Lowering the bias of O makes the decoder open an entity
a little more readily: recall (and fewer leaked names) for some precision.
For de-identification a missed name costs more than a masked word, so the
shift is the smallest of a small grid whose mean F-beta (beta = 2, recall
weighted) over NorNE dev (bokmål and nynorsk, as written and lowercased) is
within 0.001 of the best one and whose leak rate is at most 20 % on every
one of those dev sets. The shift is stored in the weights and recorded in the metadata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.training import Example

from .evaluate import prf_scores
from .sentence import TaggedSentence

META_KEY = "outside_bias_shift"


def _outside_action(ner: EntityRecognizer) -> int:
    names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
    return names.index("O")


def shift_outside_bias(nlp: Language, shift: float) -> None:
    """Set the O action's bias to its trained value minus ``shift`` (undoing any earlier shift)."""
    ner = nlp.get_pipe("ner")
    upper = ner.model.get_ref("upper")
    bias = upper.get_param("b").copy()
    outside = _outside_action(ner)
    bias[outside] += nlp.meta.get(META_KEY, 0.0) - shift
    upper.set_param("b", bias)
    nlp.meta[META_KEY] = shift


def f_beta(precision: float, recall: float, beta: float) -> float:
    denominator = beta**2 * precision + recall
    return (1 + beta**2) * precision * recall / denominator if denominator else 0.0


@dataclass
class RecallCalibrator:
    grid: Sequence[float] = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
    beta: float = 2.0
    tolerance: float = 0.001
    max_leak: float = 0.2  # margin under the project's 25 % limit on leaked entities in lowercased text
    f_scores: dict[float, float] = field(default_factory=dict)
    worst_leaks: dict[float, float] = field(default_factory=dict)

    def fit(self, nlp: Language, dev_sets: Mapping[str, Sequence[TaggedSentence]]) -> float:
        """Try each shift on the dev sets, keep the chosen one in ``nlp`` and return it."""
        references = {name: [s.to_doc(nlp.vocab) for s in sentences] for name, sentences in dev_sets.items()}
        # tok2vec once; the NER reads its output from doc.tensor, so only the NER reruns per shift
        encoded = {
            name: list(nlp.pipe((ref.text for ref in refs), disable=[p for p in nlp.pipe_names if p != "tok2vec"]))
            for name, refs in references.items()
        }
        ner = nlp.get_pipe("ner")
        for shift in self.grid:
            shift_outside_bias(nlp, shift)
            per_set = []
            for name, refs in references.items():
                predicted = ner.pipe(doc.copy() for doc in encoded[name])
                per_set.append(prf_scores([Example(p, r) for p, r in zip(predicted, refs, strict=True)]))
            self.f_scores[shift] = round(sum(f_beta(s["precision"], s["recall"], self.beta) for s in per_set) / len(per_set), 4)
            self.worst_leaks[shift] = max(s["leak_rate"] for s in per_set)
        best = self.choose()
        shift_outside_bias(nlp, best)
        nlp.meta["outside_bias_calibration"] = {
            "beta": self.beta,
            "tolerance": self.tolerance,
            "max_leak": self.max_leak,
            "mean_f_beta": {str(k): v for k, v in self.f_scores.items()},
            "worst_leak_rate": {str(k): v for k, v in self.worst_leaks.items()},
        }
        return best

    def choose(self) -> float:
        """The smallest shift whose mean F-beta is within tolerance of the best and whose worst leak is
        under ``max_leak``; without such a shift, the smallest near-best one. The F-beta curve is flat
        near its top, so the smallest shift keeps the most precision."""
        top = max(self.f_scores.values())
        near_best = [shift for shift in self.grid if self.f_scores[shift] >= top - self.tolerance]
        safe = [shift for shift in near_best if self.worst_leaks[shift] <= self.max_leak]
        return min(safe or near_best)
