"""The ``slt`` command: the data commands of :mod:`etl.cli` plus ``slt serve``."""

from __future__ import annotations

from pathlib import Path

import click

from etl.cli import cli, db_option, resolve_db


@cli.command(help="Start dashbordet. Finnes ikke databasen, lages den fra eksempeldataene.")
@db_option
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Antall serverprosesser (mer enn 1: gunicorn).")
def serve(db: Path | None, port: int, host: str, workers: int) -> None:
    from dashboard.server import run
    from etl.sample import build_sample

    db_path = resolve_db(db)
    if not db_path.exists():
        click.echo(f"Databasen {db_path} finnes ikke; lager den fra eksempeldataene …")
        for line in build_sample(db_path):
            click.echo(f"  {line}")
    click.echo(f"SLT-statistikk kjører på http://{host}:{port}/ (database: {db_path}, "
               f"{workers} {'prosess' if workers == 1 else 'prosesser'})")
    run(db_path, host, port, workers)


def main() -> None:
    import report.cli  # noqa: F401  (registers `slt report` on the group)

    cli()
