"""The ``disclosure`` command: thin wrappers over the rooms.

Each command imports its room lazily so that ``disclosure validate`` does not
pay for loading spaCy, scikit-learn or MLflow.
"""

from __future__ import annotations

import sys

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


@app.command()
def anonymize(
    file: str = typer.Argument(..., help="JSON Lines file, or - for stdin"),
    output: str = typer.Option(..., "-o", "--output", help="de-identified JSON Lines file, or -"),
    spans: str | None = typer.Option(None, "--spans", help="write detected spans (offsets, types; no text) here"),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="conversations per batch"),
) -> None:
    """De-identify every message (Norwegian Presidio): exit 0 when every line was valid, 1 otherwise."""
    from research.anonymize.command import anonymize_file

    try:
        problems = anonymize_file(file, output, spans, report=lambda p: typer.echo(str(p), err=True),
                                  batch_size=batch_size, progress=sys.stderr.isatty())
    except FileNotFoundError as exc:
        typer.echo(f"{exc.filename or file}: file not found", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(1 if problems else 0)


@app.command("anonymize-eval")
def anonymize_eval(
    gold: str = typer.Argument(..., help="JSON Lines file with gold pii spans"),
    norne: list[str] = typer.Option([], "--norne", help="NorNE CoNLL-U file(s) to measure too"),
) -> None:
    """Measure leaks and over-redaction of the de-identification on gold files (counts only)."""
    from research.anonymize.evaluate import report_lines

    for line in report_lines(gold, norne):
        typer.echo(line)


@app.command()
def run(
    file: str = typer.Argument(..., help="JSON Lines file, or - for stdin"),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="conversations per batch"),
    engine: str = typer.Option("local", "--engine", help="local, or dask (batches mapped over dask.bag)"),
    dask_scheduler: str = typer.Option("processes", "--dask-scheduler",
                                       help="threads | processes | synchronous | tcp://scheduler:8786"),
    model: str | None = typer.Option(None, "--model", help="classifier MODEL_URI (default: the shipped model)"),
) -> None:
    """Validate, de-identify, classify and store conversations: idempotent and resumable."""
    from research.pipeline import SourceNotFoundError, run_file

    try:
        report = run_file(file, batch_size=batch_size, engine=engine, dask_scheduler=dask_scheduler, model_uri=model)
    except SourceNotFoundError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    typer.echo(report.summary(), err=True)
    raise typer.Exit(1 if report.invalid else 0)


@app.command()
def train(
    config: str = typer.Option(..., "--config", help="experiment config, e.g. experiments/baseline.yaml"),
    export: str | None = typer.Option(None, "--export", help="also write model.skops + MODEL_CARD.md to this folder"),
    measure: list[str] = typer.Option([], "--measure", help="gold file(s) to measure on for the model card only"),
) -> None:
    """Train the label-suggestion model, log it to MLflow, register it, promote it if it beats the champion."""
    from research.classify.train import train as train_model

    result = train_model(config, export_to=export, measure_on=measure, progress=sys.stderr.isatty())
    typer.echo(f"run {result.run_id}: disclosure-classifier/{result.version}, held-out primary "
               f"{result.heldout['primary']:.3f}, champion {'moved' if result.promoted else 'kept'}", err=True)


@app.command()
def classify(
    file: str = typer.Argument(..., help="JSON Lines file (raw or de-identified), or - for stdin"),
    output: str = typer.Option(..., "-o", "--output", help="output JSON Lines file, or -"),
    model: str | None = typer.Option(None, "--model", help="MODEL_URI (default: the shipped model)"),
    workers: int | None = typer.Option(None, "--workers", min=1, help="worker processes (default: up to 2)"),
) -> None:
    """Suggest categories, moves and the disclosure turn: exit 0 when every line was valid, 1 otherwise."""
    from research.classify.commands import classify_file

    try:
        count, problems = classify_file(file, output, model, report=lambda p: typer.echo(str(p), err=True),
                                        progress=sys.stderr.isatty(), workers=workers)
    except FileNotFoundError as exc:
        typer.echo(f"{exc.filename or file}: file not found", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{count} conversations classified, {len({p.line for p in problems})} bad lines", err=True)
    raise typer.Exit(1 if problems else 0)


@app.command()
def evaluate(
    gold: str = typer.Argument(..., help="gold JSON Lines file (raw or de-identified)"),
    model: str | None = typer.Option(None, "--model", help="MODEL_URI (default: the shipped model)"),
    json_out: str | None = typer.Option(None, "--json", help="also write the metrics as JSON here"),
) -> None:
    """Categories, moves and disclosure metrics of a model on a gold file."""
    from research.classify.commands import evaluate_file
    from research.classify.metrics import format_table

    try:
        result, problems = evaluate_file(gold, model, json_out, report=lambda p: typer.echo(str(p), err=True))
    except FileNotFoundError as exc:
        typer.echo(f"{exc.filename or gold}: file not found", err=True)
        raise typer.Exit(2) from None
    typer.echo(format_table(result))
    raise typer.Exit(1 if problems else 0)


users_app = typer.Typer(help="Users of the app. There is no default user: add the first admin here.",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    username: str = typer.Argument(...),
    role: str = typer.Option(..., "--role", help="counsellor | researcher | data_scientist | admin"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read the password from stdin"),
    generate: bool = typer.Option(False, "--generate-password", help="generate one and print it once"),
) -> None:
    """Add a user (password from a prompt, from stdin, or generated)."""
    from research.store import UserError, open_store

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif generate:
        password = None
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with open_store() as store:
            new = store.users.add(username, role, password)
    except UserError as exc:
        typer.echo(f"users add: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"added {new.user.username} ({new.user.role})", err=True)
    if new.generated_password:
        typer.echo(f"password (shown once): {new.generated_password}")


@users_app.command("list")
def users_list() -> None:
    """List users: name, role, active, created."""
    from research.store import open_store

    with open_store() as store:
        for user in store.users.list():
            state = "active" if user.active else "disabled"
            typer.echo(f"{user.username}\t{user.role}\t{state}\t{user.created_at:%Y-%m-%d %H:%M}")


@users_app.command("disable")
def users_disable(username: str = typer.Argument(...)) -> None:
    """Disable a user: they can no longer log in (their reviews stay)."""
    from research.store import UserError, open_store

    try:
        with open_store() as store:
            store.users.disable(username)
    except UserError as exc:
        typer.echo(f"users disable: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"disabled {username}", err=True)


db_app = typer.Typer(help="The label store's database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema (also done automatically on first use)."""
    from research.store import open_store

    with open_store() as store:
        typer.echo(f"{store.url}: schema at revision {store.revision()}", err=True)


@app.command("app")
def app_command(
    port: int = typer.Option(8501, "--port", help="port to listen on"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on (0.0.0.0: every interface)"),
) -> None:
    """Start the review and explorer app (Streamlit) and serve until interrupted."""
    from app_streamlit.launch import run as run_app

    raise typer.Exit(run_app(host=host, port=port))


export_app = typer.Typer(help="Export suppressed tables (CSV or Excel).", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("trends")
def export_trends(
    by: str = typer.Option("month,category", "--by", help="dimensions, comma-separated: month, year, category, "
                                                          "age_group, gender, channel, hour, contact_type"),
    year: int | None = typer.Option(None, "--year", help="only this year"),
    output: str = typer.Option(..., "-o", "--output", help="FILE.csv or FILE.xlsx"),
    threshold: int = typer.Option(5, "--threshold", min=1, help="hide counts from 1 to the threshold"),
    lang: str = typer.Option("nb", "--lang", help="labels in nb or en"),
) -> None:
    """Trend table by the given dimensions, small counts suppressed (hidden cells are ':')."""
    from research.analysis.commands import export_trends as export
    from research.analysis.commands import parse_dimensions
    from research.store import open_store

    try:
        with open_store() as store:
            table = export(store, parse_dimensions(by), output, year=year, threshold=threshold, lang=lang)
    except ValueError as exc:
        typer.echo(f"export trends: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{len(table.long())} rows written to {output} (counts 1..{threshold} and their "
               "complements shown as ':')", err=True)


@app.command()
def report(
    year: int = typer.Option(..., "--year", help="the report's year"),
    output: str = typer.Option(..., "-o", "--output", help="FILE.html"),
    threshold: int = typer.Option(5, "--threshold", min=1, help="hide counts from 1 to the threshold"),
    lang: str = typer.Option("nb", "--lang", help="nb or en"),
) -> None:
    """The annual report's key-figure tables with charts, as one self-contained HTML file."""
    from research.reporting.documents import write_report
    from research.store import open_store

    try:
        with open_store() as store:
            path = write_report(store, year, output, threshold=threshold, lang=lang)
    except ValueError as exc:
        typer.echo(f"report: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"report for {year} written to {path}", err=True)


def main() -> None:  # pragma: no cover - console entry point
    app(sys.argv[1:])


if __name__ == "__main__":  # pragma: no cover
    main()
