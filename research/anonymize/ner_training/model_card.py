"""MODEL_CARD.md and scores.json of the shipped pipeline, written from its metadata and scores."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from spacy.language import Language

from .labels import load_label_scheme
from .lexicon import load_lexicon


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the card from other users of the checkout
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_scores(path: Path, scores: dict[str, Any]) -> None:
    _write_atomically(path, json.dumps(scores, indent=2, ensure_ascii=False) + "\n")


def folder_megabytes(folder: Path) -> float:
    return round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6, 1)


def _pct(value: float) -> str:
    return f"{100 * value:.1f}"


def _norne_table(norne: dict[str, Any]) -> list[str]:
    rows = ["| dev set | text | type | n | P | R | F1 | leak |", "|---|---|---|---:|---:|---:|---:|---:|"]
    for language, by_form in norne.items():
        for form in ("written", "lowercased"):
            scores = by_form[form]
            for label, s in scores["per_type"].items():
                rows.append(f"| {language} | {form} | {label} | {s['n']} | {_pct(s['p'])} | {_pct(s['r'])} | {_pct(s['f'])} | |")
            rows.append(
                f"| {language} | {form} | **all** | {scores['entities']} | {_pct(scores['precision'])} | "
                f"{_pct(scores['recall'])} | **{_pct(scores['f1'])}** | {_pct(scores['leak_rate'])} |"
            )
    return rows


def _chat_table(chat: dict[str, Any]) -> list[str]:
    pii = load_label_scheme().model_to_pii
    rows = ["| PII type | n | exact recall | overlap recall |", "|---|---:|---:|---:|"]
    for label, s in chat["per_type"].items():
        rows.append(f"| {pii[label]} | {s['n']} | {_pct(s['exact_recall'])} | {_pct(s['overlap_recall'])} |")
    s = chat["all"]
    rows.append(f"| **all** | {s['n']} | {_pct(s['exact_recall'])} | {_pct(s['overlap_recall'])} |")
    return rows


def render_model_card(nlp: Language, scores: dict[str, Any], size_mb: float) -> str:
    meta, config = nlp.meta, nlp.config
    plan, counts = meta["training_plan"], meta["training_data"]
    tok2vec = config["components"]["tok2vec"]["model"]
    ner_model = config["components"]["ner"]["model"]
    training = config["training"]
    scheme = load_label_scheme()
    mapping = "\n".join(f"| {norne} | {label} | {scheme.model_to_pii[label]} |"
                        for norne, label in scheme.norne_to_model.items())
    augmentation = ", ".join(f"{k} = {v}" for k, v in meta["augmentation"].items())
    chat = scores.get("chat_dev")
    chat_section = "\n".join(_chat_table(chat)) if chat else "_not measured in this build (no chat dev file given)_"
    chat_precision = (f"\n\nOf the {chat['predicted_entities']} entities the pipeline predicted on these messages, "
                      f"{_pct(chat['predicted_on_gold_pii'])} % overlap a gold PII span of any type.") if chat else ""
    return f"""# {meta['name']} {meta['version']} — Norwegian chat NER for de-identification

spaCy pipeline (spaCy {meta.get('spacy_version', '')}), language `{meta['lang']}`, components
`{'`, `'.join(nlp.pipe_names)}`, labels {', '.join(nlp.get_pipe('ner').labels)}.
Size on disk: {size_mb} MB. Throughput of `nlp.pipe` on NorNE bokmål dev (one
run on the build machine, shared CPU): {scores['throughput_words_per_second']:,} words/s.

## Intended use

The named-entity part of the Presidio NLP engine in `research/anonymize/`,
which de-identifies Norwegian helpline chats before anything is stored. It
finds person names, places and organisations (schools, kindergartens, clubs,
workplaces) in bokmål and nynorsk, in edited and in informal, lowercase chat
text. Its token lemmas feed Presidio's `LemmaContextAwareEnhancer`.

Load it from the project path only: `spacy.load(research.paths.MODELS_DIR / "nb_chat_ner")`.
It needs nothing at run time beyond spaCy (no hub, no spacy-lookups-data).
It is one detector among several: phone numbers, fødselsnummer, e-mail,
usernames and addresses are left to Presidio's pattern recognizers. Not for
any decision about a person.

## Data

* **NorNE**, commit `bd311de5` (ltgoslo/norne; entity annotations CC0 1.0):
  `no_bokmaal-ner-train.conllu` and `no_nynorsk-ner-train.conllu`
  ({counts['norne_train_sentences']:,} sentences used by this build). Dev files
  (`no_*-ud-dev.conllu`) pick the best checkpoint and give the scores below;
  they are never trained on. The NorNE test split was not used. The pipeline
  ships no running text of NorNE, only hashed features, the string store and a
  form→lemma table.
* **Chat templates** (`research/anonymize/ner_training/chat_lexicon.yaml`,
  generator `chat_templates.py`, seed {plan['seed']}): {counts['chat_examples']:,}
  invented chat messages from {_template_count()} templates, with Faker `no_NO`
  names and our own lists of names, places, streets, schools, kindergartens,
  clubs and workplaces, in bokmål, nynorsk and dialect spellings. Kinship and
  role words (mamma, pappa, stefar, bestemor, læreren), services, platforms
  and names used as ordinary words (liv, per, mai, sol, ski) are labelled O.
* No helpline data. `shared/dev/dev.jsonl` is used for measurement only: no
  text of it is trained on. Looking at an earlier model's errors there led to
  two general additions to the templates (emoji and emoticons as O; helpline
  and service names such as Alarmtelefonen as O), so its numbers below are
  slightly optimistic.

## Label mapping

NorNE's PROD, EVT, DRV and MISC are read as O.

| NorNE type | pipeline label | Presidio entity |
|---|---|---|
{mapping}

## Augmentation

Chat-like copies of NorNE train sentences are added (originals kept):
{augmentation}. Chat style = chat spellings of common words (jeg→je/æ/eg,
ikke→ikkje/itj, hva→ka, …) and small typos outside entities, usually also
lowercased and without punctuation, some ending in an emoji or emoticon (O).
Template examples are written as-is, all lowercase, with lowercase entities
or in sentence case, some with chat spellings, typos, no punctuation or a
closing emoji. In all {counts['train_docs']:,} training
docs ({counts['train_tokens']:,} tokens): {counts['augmented_copies']:,} augmented copies.

## Training

`spacy train` with `research/anonymize/ner_training/config.cfg` on CPU
(`make ner-model`, plan `{plan['name']}`): tok2vec `{tok2vec['@architectures']}`
(width {tok2vec['width']}, depth {tok2vec['depth']}, embed rows {tok2vec['embed_size']},
window {tok2vec['window_size']}, no word vectors); NER `{ner_model['@architectures']}`
(hidden width {ner_model['hidden_width']}). Adam, learn rate
{training['optimizer']['learn_rate']}, dropout {training['dropout']}, batches of
100→1000 words, at most {plan['max_steps']:,} steps, patience {plan['patience']:,},
evaluation every {plan['eval_frequency']} steps on NorNE dev as written plus
lowercased; best checkpoint by 0.7·F1 + 0.3·recall. Seed {plan['seed']}.
{_calibration(meta)}
The lemmatizer is spaCy's lookup lemmatizer with a table built from the lemma
column of both NorNE train files (most frequent lemma per form, lowercase and
capitalised keys too); a rule-based sentencizer closes the pipeline.

## Scores

NorNE dev, exact span and label (spaCy's NER scorer, the pipeline's own
tokenisation). *lowercased* = the same sentences in lowercase. *leak* = share
of gold entities that no predicted entity overlaps at all.

{chr(10).join(_norne_table(scores['norne_dev']))}

Chat development set (`dev.jsonl`, {chat['messages'] if chat else 0} messages, measurement only):
recall of gold PII spans; *exact* = same offsets and label, *overlap* = any
predicted entity touches the span.

{chat_section}{chat_precision}

## Limitations

* Trained on edited news text plus invented chat templates: real chats with
  heavy dialect, slang, emoji, nicknames or names split by typos are harder,
  and the chat scores above come from only a few dozen spans.
* «Norge» and other countries are LOC, as in NorNE; the de-identification
  layer decides whether a country is personal data.
* Short lowercase messages are ambiguous: a name that is also a word
  (liv, per, mai, sol, ski, by) can be missed or over-tagged; keep other
  recognizers and context rules around it.
* ORG also covers companies, parties and public bodies from the news domain;
  generic services (barnevernet, BUP) are usually not tagged, but may be.
* The lemma table covers forms seen in NorNE train; other forms keep
  themselves as lemma.
* The CC0 waiver covers NorNE's annotations, not the underlying texts.
"""


def _calibration(meta: dict[str, Any]) -> str:
    calibration = meta.get("outside_bias_calibration")
    if not calibration:
        return "No recall calibration was applied."
    grid = "; ".join(
        f"{shift}: F2 {score}, worst leak {_pct(calibration['worst_leak_rate'][shift])} %"
        for shift, score in calibration["mean_f_beta"].items()
    )
    return (
        f"Recall calibration: the bias of the NER's O action was lowered by {meta['outside_bias_shift']}: "
        f"the smallest shift of a grid ({grid}) whose mean F{calibration['beta']:g} over NorNE dev "
        f"(bokmål and nynorsk, as written and lowercased) is within {calibration['tolerance']} of the best "
        f"and whose leak rate is at most {_pct(calibration['max_leak'])} % on each of those sets. "
        "The decoder opens entities more readily, trading some precision for fewer leaked names."
    )


def _template_count() -> int:
    lexicon = load_lexicon()
    return len(lexicon.templates) + len(lexicon.negatives)


def write_model_card(path: Path, nlp: Language, scores: dict[str, Any], model_dir: Path) -> None:
    _write_atomically(path, render_model_card(nlp, scores, folder_megabytes(model_dir)))
