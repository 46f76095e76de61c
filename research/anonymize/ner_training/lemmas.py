"""A lookup lemmatizer whose table comes from NorNE's lemma column (CC0).

Presidio's LemmaContextAwareEnhancer compares lowercased token lemmas with a
recognizer's context words, so «heter» must become «hete» and «bor» «bo».
spacy-lookups-data's Norwegian lookup table has only about 1,600 entries (its
large tables need POS tags), so the table is built from both NorNE train
files instead: bokmål and nynorsk forms, the most frequent lemma per form.
The table is serialised inside the pipeline: nothing is needed at run time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from spacy.language import Language
from spacy.lookups import Lookups

from .sentence import TaggedSentence

TABLE_NAME = "lemma_lookup"


def _clean_lemma(form: str, lemma: str) -> str:
    # NDT writes punctuation lemmas as «$,»; an empty or missing lemma means the form itself
    return form if not lemma or lemma == "_" or lemma.startswith("$") else lemma


def build_lemma_table(sentences: Iterable[TaggedSentence]) -> dict[str, str]:
    """Form -> most frequent lemma, with lowercase and capitalised keys so chat spelling finds it too.

    Only entries whose lemma differs from the form are kept: the lookup falls
    back to the form itself.
    """
    by_form: dict[str, Counter] = defaultdict(Counter)
    by_lower: dict[str, Counter] = defaultdict(Counter)
    for sentence in sentences:
        for form, lemma in zip(sentence.words, sentence.lemmas or (), strict=False):
            lemma = _clean_lemma(form, lemma)
            by_form[form][lemma] += 1
            by_lower[form.lower()][lemma.lower()] += 1
    table: dict[str, str] = {}
    for lower, counts in by_lower.items():
        lemma = _most_frequent(counts)
        table[lower] = lemma
        table.setdefault(lower[:1].upper() + lower[1:], lemma)
    for form, counts in by_form.items():  # the exact form wins over its case-folded keys
        table[form] = _most_frequent(counts)
    return {form: lemma for form, lemma in table.items() if lemma != form}


def _most_frequent(counts: Counter) -> str:
    # ties broken alphabetically so the table does not depend on reading order
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def add_lookup_lemmatizer(nlp: Language, table: dict[str, str], name: str = "lemmatizer") -> None:
    """Append spaCy's lemmatizer in lookup mode with ``table`` stored in the pipeline."""
    lookups = Lookups()
    lookups.add_table(TABLE_NAME, table)
    lemmatizer = nlp.add_pipe("lemmatizer", name=name, config={"mode": "lookup", "overwrite": True})
    lemmatizer.initialize(lookups=lookups)
