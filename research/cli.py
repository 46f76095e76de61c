"""The ``disclosure`` command: thin wrappers over the rooms.

Each command imports its room lazily so that ``disclosure validate`` does not
pay for loading spaCy, scikit-learn or MLflow.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

app = typer.Typer(
    name="disclosure",
    help="Research data platform for studies of how children disclose violence.",
    no_args_is_help=True,
    add_completion=False,
)


def _report(problems) -> None:
    for problem in problems:
        typer.echo(str(problem), err=True)


@app.command()
def validate(file: str = typer.Argument(..., help="JSON Lines file, or - for stdin")) -> None:
    """Check every line against the contract: exit 0 when all are valid, 1 otherwise."""
    from research.contracts import Problem, iter_conversations

    good = bad_lines = 0
    seen_bad: set[int] = set()
    try:
        for item in iter_conversations(file):
            if isinstance(item, Problem):
                typer.echo(str(item))
                seen_bad.add(item.line)
            else:
                good += 1
    except FileNotFoundError:
        typer.echo(f"{file}: file not found", err=True)
        raise typer.Exit(2) from None
    bad_lines = len(seen_bad)
    typer.echo(f"{good} valid, {bad_lines} invalid", err=True)
    raise typer.Exit(1 if bad_lines else 0)


@app.command()
def synth(
    n: int = typer.Option(1000, "--n", help="number of conversations"),
    seed: int = typer.Option(0, "--seed", help="random seed (same seed, same corpus)"),
    output: str = typer.Option(..., "-o", "--output", help="output JSON Lines file, or -"),
    year: int | None = typer.Option(None, "--year", help="spread start times over this calendar year"),
) -> None:
    """Generate a labelled synthetic corpus calibrated to the helpline's 2024 report."""
    from research.corpus.synth import write_corpus

    count = write_corpus(output, n=n, seed=seed, year=year)
    typer.echo(f"{count} conversations written to {output}", err=True)


# --- commands of later rooms are added below this line, one thin wrapper each ---


def main() -> None:  # pragma: no cover - console entry point
    app(sys.argv[1:])


if __name__ == "__main__":  # pragma: no cover
    main()
