"""``slt`` data commands: ingest, history, rollback, user.  (``serve`` and ``report`` are added
by the dashboard and report packages.)"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.errors import IngestError, count_text
from etl.paths import default_db


def db_option(func):
    return click.option(
        "--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Databasefil (standard: $SLT_DB eller data/slt.duckdb).")(func)


def resolve_db(db: Path | None) -> Path:
    return db or default_db()


@click.group(help="SLT-statistikk: politiets U18-tall og Ungdata i én database.")
def cli() -> None:
    pass


@cli.command(help="Les inn filer: U18-tall fra politiet, befolkning (SSB 07459), Ungdata/FHI-"
                  "indikatorer og SSB 08487 (xlsx, xls, ods, csv, json). Filtypen avgjøres av "
                  "innholdet.")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@click.option("--region", default=None, help="Region tallene gjelder (overstyrer filen).")
@click.option("--force", is_flag=True, help="Tillat å erstatte et helt år med et delår.")
@click.option("--user", default=None, help="Hvem som laster inn (lagres i historikken).")
@click.option("--dry-run", is_flag=True,
              help="Bare sjekk filen og vis hva som ville endret seg; ingenting lagres.")
def ingest(files: tuple[Path, ...], db: Path | None, region: str | None, force: bool,
           user: str | None, dry_run: bool) -> None:
    from etl.dispatch import ingest_any

    failed = 0
    for path in files:
        try:
            outcome = ingest_any(path, resolve_db(db), region=region, user=user, force=force,
                                 dry_run=dry_run)
        except IngestError as error:
            failed += 1
            where = "" if error.upload_id is None else f" (opplasting {error.upload_id})"
            click.echo(f"AVVIST {path.name}{where}:", err=True)
            for line in error.lines():
                click.echo(f"  {line}", err=True)
            continue
        _echo_outcome(path.name, outcome, dry_run)
    if failed:
        sys.exit(1)


def _echo_outcome(name: str, outcome, dry_run: bool) -> None:
    from etl.staging import describe

    if dry_run:
        verb = {"accepted": "VILLE LAGRET", "unchanged": "VILLE VÆRT UENDRET"}[outcome.status]
        click.echo(f"{verb} {name} ({count_text(outcome.rows)} tall): {outcome.message}")
        for change in outcome.changes[:20]:
            labels = change.get("what") or describe(change["crime_type"], change["age"],
                                                    change["gender"])
            unit = change.get("unit", "count")
            click.echo(f"  {change['region']} {change['year']} {labels}: "
                       f"{_count(change['old'], unit)} → {_count(change['new'], unit)}")
        if outcome.changed > 20:
            click.echo(f"  … og {count_text(outcome.changed - 20)} endrede tall til")
        return
    verb = {"accepted": "LAGRET", "unchanged": "UENDRET"}[outcome.status]
    click.echo(f"{verb} {name} (opplasting {outcome.upload_id}, "
               f"{count_text(outcome.rows)} tall): "
               f"{outcome.message}")


def _count(value, unit: str = "count") -> str:
    if value is None or value != value:
        return "skjult"
    return f"{value:.1f} %".replace(".", ",") if unit == "percent" else str(int(value))


@cli.command(help="Vis alle opplastinger, nyeste først.")
@db_option
@click.option("--limit", default=50, show_default=True)
def history(db: Path | None, limit: int) -> None:
    from etl.store import StoreMissing, connect_read
    from etl.uploads import history as upload_history

    try:
        con = connect_read(resolve_db(db))
    except StoreMissing as missing:
        raise click.ClickException(f"databasen {missing} finnes ikke ennå") from None
    with con:
        for row in upload_history(con, limit):
            when = row["uploaded_at"].strftime("%d.%m.%Y %H:%M")
            years = ", ".join(map(str, row["years"] or []))
            click.echo(f"{row['upload_id']:>4}  {when}  {row['outcome']:<11}  {row['file_name']}"
                       f"  {', '.join(row['regions'] or [])} {years}  sha256:{row['sha256'][:12]}")
            first = (row["message"] or "").splitlines()[:1]
            if first:
                click.echo(f"      {first[0]}")


@cli.command(help="Angre en opplasting: gjenopprett tallene den erstattet.")
@click.argument("upload_id", type=int)
@db_option
@click.option("--user", default=None)
def rollback(upload_id: int, db: Path | None, user: str | None) -> None:
    from etl.rollback import RollbackError
    from etl.rollback import rollback as undo

    try:
        click.echo(undo(resolve_db(db), upload_id, user))
    except RollbackError as error:
        raise click.ClickException(str(error)) from None


@cli.group(help="Brukere og roller (analyst: laste opp og angre; viewer: bare lese).")
def user() -> None:
    pass


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Passord", hide_input=True, confirmation_prompt="Gjenta passordet")


def _user_command(action):
    """Run a user action, turning UserError into a one-line Norwegian error."""
    from etl.users import UserError

    try:
        action()
    except UserError as error:
        raise click.ClickException(str(error)) from None


@user.command("add", help="Legg til en bruker.")
@click.argument("name")
@click.option("--role", type=click.Choice(["analyst", "viewer"]), required=True)
@click.option("--password-stdin", is_flag=True, help="Les passordet fra standard inn.")
@db_option
def user_add(name: str, role: str, password_stdin: bool, db: Path | None) -> None:
    from etl.users import add_user, users_path

    path = users_path(resolve_db(db))
    _user_command(lambda: add_user(path, name, role, _password(password_stdin)))
    click.echo(f"La til {name} ({role}) i {path}")


@user.command("remove", help="Fjern en bruker.")
@click.argument("name")
@db_option
def user_remove(name: str, db: Path | None) -> None:
    from etl.users import remove_user, users_path

    _user_command(lambda: remove_user(users_path(resolve_db(db)), name))
    click.echo(f"Fjernet {name}")


@user.command("passwd", help="Sett nytt passord (og eventuelt ny rolle).")
@click.argument("name")
@click.option("--role", type=click.Choice(["analyst", "viewer"]), default=None)
@click.option("--password-stdin", is_flag=True, help="Les passordet fra standard inn.")
@db_option
def user_passwd(name: str, role: str | None, password_stdin: bool, db: Path | None) -> None:
    from etl.users import set_password, users_path

    path = users_path(resolve_db(db))
    _user_command(lambda: set_password(path, name, _password(password_stdin), role))
    click.echo(f"Oppdaterte {name}")


@user.command("list", help="Vis brukerne.")
@db_option
def user_list(db: Path | None) -> None:
    from etl.users import list_users, users_path

    for item in list_users(users_path(resolve_db(db))):
        click.echo(f"{item.name}\t{item.role}")


def main() -> None:
    cli()


import etl.group_cli  # noqa: E402,F401  (registers `slt gruppe` on the group)
