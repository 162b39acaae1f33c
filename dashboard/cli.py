"""The ``slt`` command: the data commands of :mod:`etl.cli` plus ``slt serve``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from etl.cli import cli, db_option, resolve_db


@cli.command(help="Start dashbordet. Finnes ikke databasen, lages den fra eksempeldataene.")
@db_option
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Antall serverprosesser (mer enn 1: gunicorn).")
@click.option("--threads", default=None, type=click.IntRange(1, 64),
              help="Tråder per serverprosess med gunicorn (standard: 8; 1: synkrone "
                   "prosesser).")
@click.option("--access", type=click.Choice(["public", "login"]), default=None,
              help="public: alle kan lese; login: alt krever innlogging (standard: $SLT_ACCESS "
                   "eller public).")
@click.option("--secret-key-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Les SLT_SECRET_KEY fra denne filen.")
def serve(db: Path | None, port: int, host: str, workers: int, threads: int | None,
          access: str | None, secret_key_file: Path | None) -> None:
    from dashboard.server import THREADS, run
    from dashboard.settings import ConfigError, load
    from etl.sample import build_sample

    if access:
        os.environ["SLT_ACCESS"] = access
    if secret_key_file:
        os.environ["SLT_SECRET_KEY"] = secret_key_file.read_text(encoding="utf-8").strip()
    try:
        settings = load()
    except ConfigError as error:
        click.echo(f"Kan ikke starte: {error}", err=True)
        sys.exit(2)
    if settings.development_key:
        click.echo("MERK: SLT_SECRET_KEY er ikke satt; bruker en utviklingsnøkkel. Den er ikke "
                   "hemmelig og skal ikke brukes i produksjon (sett SLT_ENV=production og "
                   "SLT_SECRET_KEY).", err=True)
    db_path = resolve_db(db)
    if not db_path.exists():
        click.echo(f"Databasen {db_path} finnes ikke; lager den fra eksempeldataene …")
        for line in build_sample(db_path):
            click.echo(f"  {line}")
    click.echo(f"SLT-statistikk kjører på http://{host}:{port}/ (database: {db_path}, "
               f"{workers} {'prosess' if workers == 1 else 'prosesser'}"
               + (f" × {threads or THREADS} tråder" if workers > 1 else "") + ", tilgang: "
               f"{'alle kan lese' if settings.access == 'public' else 'krever innlogging'}, "
               f"største opplasting: {settings.max_upload_mb:g} MB)")
    run(db_path, host, port, workers, settings, threads or THREADS)


def main() -> None:
    import report.cli  # noqa: F401  (registers `slt report` on the group)

    cli()
