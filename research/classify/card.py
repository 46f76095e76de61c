"""The model card (markdown): what a model was trained on, how, and how well it did.

Only counts, codes, settings and metrics: never text from a conversation.
"""

from __future__ import annotations

from typing import Any

from research.classify.config import ExperimentConfig, TextFeatures
from research.classify.metrics import PRIMARY_METRIC
from research.contracts import load_taxonomy


def _features(specs: list[TextFeatures]) -> str:
    return ", ".join(f"{s.analyzer} {s.ngram_range[0]}–{s.ngram_range[1]} (≤{s.max_features:,})" for s in specs)


def _metrics_table(result: dict[str, Any]) -> list[str]:
    c, m, d = result["categories"], result["moves"], result["disclosure"]
    return [
        "| metric | value |",
        "| --- | --- |",
        f"| categories micro-F1 | {c['micro_f1']:.3f} |",
        f"| categories macro-F1 (labels present: {c['labels_present']}) | {c['macro_f1']:.3f} |",
        f"| categories Brier score | {c['brier']:.4f} |",
        f"| moves micro-F1 | {m['micro_f1']:.3f} |",
        f"| moves macro-F1 | {m['macro_f1']:.3f} |",
        f"| disclosure precision / recall / F1 | {d['precision']:.3f} / {d['recall']:.3f} / {d['f1']:.3f} |",
        f"| disclosure turn within ±1 (of found) | {d['turn_within_1']:.3f} |",
        f"| disclosure Brier score | {d['brier']:.4f} |",
        f"| **{PRIMARY_METRIC}** (mean of the three F1s) | **{result[PRIMARY_METRIC]:.3f}** |",
        "",
        f"({result['conversations']} conversations, {result['messages']} messages)",
    ]


def _per_label(result: dict[str, Any], task: str) -> list[str]:
    lines = ["| code | label | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- | --- |"]
    taxonomy = load_taxonomy()
    for code, s in sorted(result[task]["per_label"].items()):
        lines.append(f"| {code} | {taxonomy.label(code, 'en')} | {s['precision']:.2f} | {s['recall']:.2f} | "
                     f"{s['f1']:.2f} | {s['support']} |")
    return lines


def model_card(
    config: ExperimentConfig,
    data: dict[str, Any],
    heldout: dict[str, Any],
    thresholds: dict[str, float],
    measurements: dict[str, dict[str, Any]] | None = None,
    run_id: str = "",
) -> str:
    lines = [
        f"# Model card: disclosure-classifier (MLflow run `{run_id}`)" if run_id else "# Model card: disclosure-classifier",
        "",
        "Label suggestions for Norwegian helpline conversations: conversation categories, "
        "conversational moves per message, and the message where violence is first explicitly disclosed. "
        "Suggestions for counsellors to accept or reject, never decisions.",
        "",
        "## Training",
        "",
        f"- Experiment config: `{config.name}` — {config.description.strip()}",
        f"- Trained: {data['trained_at']}",
        f"- Data: {data['seed_train']} hand-written seed conversations (weight {config.data.seed_weight}) "
        f"and {data['synthetic']} generated ones (weight {config.data.synthetic_weight}, generator seed "
        f"{config.data.synthetic_seed}); {data['seed_heldout']} seed conversations held out for evaluation "
        f"(fixed split by id hash, salt `{config.data.holdout_salt}`).",
        f"- Dataset digests (ids and labels only): train `{data['train_digest']}`, held-out `{data['heldout_digest']}`.",
        "- Fitted on: " + (
            "the training part and then, after evaluation, refitted on everything (held-out seed split included). "
            "The held-out metrics below are those of the same recipe fitted without the held-out split "
            f"(registered as disclosure-classifier/{data.get('registered_version', '?')}); the measurements "
            "further down are of this model."
            if data.get("fitted_on") == "all" else "the training part only (the held-out split is unseen)."),
        "- All text was de-identified by `research.anonymize` (plus the gold PII spans of the training data) "
        "before any vectoriser saw it: the vocabularies hold pseudonym tags such as `<PERSON_1>` (read as "
        "`_person_`), never names.",
        "",
        "## Estimators",
        "",
        f"- Categories: TF-IDF of the user's text and the counsellor's text (weight "
        f"{config.categories.counsellor_weight}): {_features(config.categories.text)}; one-vs-rest logistic "
        f"regression (C={config.categories.C}, {config.categories.class_weight}), Platt-calibrated on "
        f"{config.categories.cv}-fold out-of-fold scores; per-label thresholds maximise out-of-fold F1.",
        f"- Moves: one model per speaker (only that speaker's moves). Message text: {_features(config.moves.text)}; "
        f"context ({', '.join(config.moves.context_columns)}): {_features(config.moves.context)}; position "
        f"features. Same calibration and thresholds ({config.moves.cv} folds, grouped by conversation); "
        "every message gets at least its best move.",
        f"- Disclosure: message classifier over the {config.disclosure.speaker}'s messages "
        f"({_features(config.disclosure.text)}; context {', '.join(config.disclosure.context_columns)}: "
        f"{_features(config.disclosure.context)}); conversation score = Platt-calibrated best message score; "
        "conversation threshold and turn threshold chosen by cross-validation.",
        "",
        "## Held-out seed split" + (" (the recipe fitted without it)" if data.get("fitted_on") == "all" else ""),
        "",
        *_metrics_table(heldout),
        "",
        "### Categories per label",
        "",
        *_per_label(heldout, "categories"),
        "",
        "### Moves per label",
        "",
        *_per_label(heldout, "moves"),
        "",
    ]
    for name, result in (measurements or {}).items():
        lines += [f"## Measured on `{name}` (measurement only, never trained or tuned on)", "",
                  *_metrics_table(result), ""]
    lines += [
        "## Decision thresholds (from cross-validation)",
        "",
        "| code | threshold |",
        "| --- | --- |",
        *[f"| {code} | {value:.2f} |" for code, value in thresholds.items()],
        "",
        "## Limits",
        "",
        "- Trained on invented conversations (hand-written and generated): expect lower scores on real chats "
        "and on styles unlike the seed corpus. Rare categories have few examples; their scores are least reliable.",
        "- Non-literal phrases, hypotheticals and friends' stories are not disclosures; the model learnt this "
        "from examples, not rules, and can still be fooled.",
        "- Scores are calibrated on the training distribution (seed weighted up), not on real prevalence.",
        "",
    ]
    return "\n".join(lines)
