"""``python -m research.anonymize.ner_training build|evaluate``: rebuild or rescore the shipped pipeline."""

from __future__ import annotations

from pathlib import Path

import typer

from research.paths import MODELS_DIR

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

NORNE_HELP = "NorNE folder (train and dev CoNLL-U files); defaults to the NORNE_DIR environment variable"
CHAT_DEV_HELP = "gold contract JSON Lines whose PII spans are measured (never trained on)"


@app.command()
def build(
    norne: Path | None = typer.Argument(None, help=NORNE_HELP),
    output: Path = typer.Option(MODELS_DIR / "nb_chat_ner", "--output", "-o", help="where the pipeline is shipped"),
    plan: str = typer.Option("full", "--plan", help="full, or interim (a small subset, a few minutes)"),
    chat_dev: Path | None = typer.Option(None, "--chat-dev", help=CHAT_DEV_HELP),
) -> None:
    """Train the pipeline, score it, and swap it in at OUTPUT with scores.json and MODEL_CARD.md."""
    from .norne import norne_dir
    from .train import PLANS
    from .train import build as build_pipeline

    if plan not in PLANS:
        raise typer.BadParameter(f"unknown plan {plan!r}; choose from {sorted(PLANS)}")
    scores = build_pipeline(norne_dir(norne), output, PLANS[plan], _existing(chat_dev))
    _summary(scores)


@app.command()
def calibrate(
    norne: Path | None = typer.Argument(None, help=NORNE_HELP),
    model: Path = typer.Option(MODELS_DIR / "nb_chat_ner", "--model", help="pipeline folder"),
    chat_dev: Path | None = typer.Option(None, "--chat-dev", help=CHAT_DEV_HELP),
) -> None:
    """Tune the recall bias of a trained pipeline on NorNE dev (no retraining) and swap it in rescored."""
    from .norne import norne_dir
    from .train import recalibrate

    _summary(recalibrate(model, norne_dir(norne), _existing(chat_dev)))


@app.command()
def evaluate(
    norne: Path | None = typer.Argument(None, help=NORNE_HELP),
    model: Path = typer.Option(MODELS_DIR / "nb_chat_ner", "--model", help="pipeline folder"),
    chat_dev: Path | None = typer.Option(None, "--chat-dev", help=CHAT_DEV_HELP),
) -> None:
    """Score a shipped pipeline again and rewrite its scores.json and MODEL_CARD.md."""
    from .norne import norne_dir
    from .train import rescore

    _summary(rescore(model, norne_dir(norne), _existing(chat_dev)))


def _existing(path: Path | None) -> Path | None:
    if path is not None and not path.is_file():
        typer.echo(f"{path}: chat dev file not found; chat recall not measured", err=True)
        return None
    return path


def _summary(scores: dict) -> None:
    for language, by_form in scores["norne_dev"].items():
        for form, s in by_form.items():
            if isinstance(s, dict):
                typer.echo(f"NorNE {language} {form}: P {s['precision']:.3f} R {s['recall']:.3f} "
                           f"F1 {s['f1']:.3f} leak {s['leak_rate']:.3f}")
    if "chat_dev" in scores:
        s = scores["chat_dev"]["all"]
        typer.echo(f"chat dev PII: exact recall {s['exact_recall']:.3f}, overlap recall {s['overlap_recall']:.3f}")


if __name__ == "__main__":
    app()
