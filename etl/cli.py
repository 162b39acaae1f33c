"""``slt`` data commands: ingest, history, rollback, user.  (``serve`` and ``report`` are added
by the dashboard and report packages.)"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.errors import IngestError, count_text, figure_text
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
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--region", default=None, help="Region tallene gjelder (overstyrer filen).")
@click.option("--force", is_flag=True, help="Tillat å erstatte et helt år med et delår.")
@click.option("--user", default=None, help="Hvem som laster inn (lagres i historikken).")
@click.option("--dry-run", is_flag=True,
              help="Bare sjekk filen og vis hva som ville endret seg; ingenting lagres.")
@click.option("--full", is_flag=True,
              help="Vis hele listen over regioner og år også når meldingen er et sammendrag.")
def ingest(files: tuple[Path, ...], db: Path | None, region: str | None, force: bool,
           user: str | None, dry_run: bool, full: bool) -> None:
    from etl.dispatch import ingest_any

    failed = 0
    for path in files:
        if not path.is_file():  # in Norwegian, and the other files are still read
            failed += 1
            click.echo(f"AVVIST {path.name}:", err=True)
            click.echo(f"  er en mappe, ikke en fil: {path}" if path.is_dir() else
                       f"  finner ikke filen {path}", err=True)
            continue
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
        _echo_details(outcome, dry_run, full)
    if failed:
        sys.exit(1)


def _echo_outcome(name: str, outcome, dry_run: bool) -> None:
    from etl.totals import describe

    if dry_run:
        verb = {"accepted": "VILLE LAGRET", "unchanged": "VILLE VÆRT UENDRET"}[outcome.status]
        click.echo(f"{verb} {name} ({count_text(outcome.rows)} tall): {outcome.message}")
        for change in outcome.changes[:20]:
            labels = change.get("what") or describe(change["crime_type"], change["age"],
                                                    change["gender"])
            unit = change.get("unit", "count")
            click.echo(f"  {change['region']} {change['year']} {labels}: "
                       f"{figure_text(change['old'], unit)} → {figure_text(change['new'], unit)}")
        if outcome.changed > 20:
            click.echo(f"  … og {count_text(outcome.changed - 20)} endrede tall til")
        return
    verb = {"accepted": "LAGRET", "unchanged": "UENDRET"}[outcome.status]
    click.echo(f"{verb} {name} (opplasting {outcome.upload_id}, "
               f"{count_text(outcome.rows)} tall): "
               f"{outcome.message}")


def _echo_details(outcome, dry_run: bool, full: bool) -> None:
    """The full list a summarised message stands for, or where to find it."""
    details = getattr(outcome, "details", None) or []
    if not details:
        return
    if full:
        for line in details:
            click.echo(f"  {line}")
    elif dry_run:
        click.echo(f"  (hele listen, {count_text(len(details))} linjer: legg til --full)")
    else:
        click.echo(f"  (hele listen, {count_text(len(details))} linjer: "
                   f"slt history --id {outcome.upload_id} --full)")


@cli.command(help="Vis alle opplastinger, nyeste først.")
@db_option
@click.option("--limit", default=50, show_default=True)
@click.option("--id", "upload_id", type=int, default=None, help="Bare denne opplastingen.")
@click.option("--full", is_flag=True,
              help="Hele meldingen (alle regioner og år), ikke bare første linje.")
def history(db: Path | None, limit: int, upload_id: int | None, full: bool) -> None:
    from etl.store import StoreMissing, connect_read
    from etl.uploads import history as upload_history

    try:
        con = connect_read(resolve_db(db))
    except StoreMissing as missing:
        raise click.ClickException(f"databasen {missing} finnes ikke ennå") from None
    with con:
        rows = upload_history(con, limit, upload_id)
        if upload_id is not None and not rows:
            raise click.ClickException(f"fant ingen opplasting {upload_id}")
        for row in rows:
            when = row["uploaded_at"].strftime("%d.%m.%Y %H:%M")
            click.echo(f"{row['upload_id']:>4}  {when}  {row['outcome']:<11}  {row['file_name']}"
                       f"  {_regions_years(row, full)}  sha256:{row['sha256'][:12]}")
            lines = (row["message"] or "").splitlines()
            for line in lines if full else lines[:1]:
                click.echo(f"      {line}")
            if len(lines) > 1 and not full:
                click.echo(f"      (+{count_text(len(lines) - 1)} linjer: "
                           f"slt history --id {row['upload_id']} --full)")


def _regions_years(row: dict, full: bool) -> str:
    """Every region and year with ``full``; else at most four regions (``A, B, C og N til``)
    and consecutive years as a span."""
    from etl.changes import named

    regions, years = list(row["regions"] or []), sorted(row["years"] or [])
    if full:
        return f"{', '.join(regions)} {', '.join(map(str, years))}"
    shown = ", ".join(regions) if len(regions) <= 4 else named(regions, len(regions))
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{shown} {years[0]}–{years[-1]}"
    return f"{shown} {', '.join(map(str, years))}"


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


@cli.group(help="Planens mål: les inn med «slt ingest MÅLFIL», skriv ut eller eksporter her.")
def goals() -> None:
    pass


@goals.command("export", help="Skriv alle lagrede mål til en fil (.csv eller .xlsx) som kan "
                              "endres og leses inn igjen med slt ingest.")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@db_option
def goals_export(out: Path, db: Path | None) -> None:
    from etl.goal_store import export_goals
    from etl.store import StoreMissing

    try:
        n = export_goals(resolve_db(db), out)
    except StoreMissing as missing:
        raise click.ClickException(f"databasen {missing} finnes ikke ennå") from None
    click.echo(f"Skrev {count_text(n)} mål til {out}")


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


from etl import catalogue_cli  # noqa: E402, F401  (registers `slt katalog` on the group)


def main() -> None:
    cli()


import etl.alias_cli  # noqa: E402,F401  (registers `slt alias` on the group)
import etl.group_cli  # noqa: E402,F401  (registers `slt gruppe` on the group)
