"""``slt alias``: teach the readers a new name for a crime type, age, gender, total, column,
school level, SSB offence group or region; list the names taught, take one away.  The engine
is :mod:`etl.aliases`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.cli import cli, db_option, resolve_db
from etl.vocab import ALIAS_KINDS

KINDS = click.Choice(list(ALIAS_KINDS))


@cli.group(help="Egne navn i filene: lær programmet at «Tyveri fra butikk» er krimtypen Vinning, "
                "eller at kolonnen «Lovbruddstype» er Krimtype. Navnene lagres i databasen og "
                "gjelder filer som leses inn etterpå; hver endring kan angres med slt rollback.")
def alias() -> None:
    pass


def _run(action) -> None:
    from etl.aliases import AliasError

    try:
        upload_id, message = action()
    except AliasError as refused:
        click.echo(f"AVVIST: {refused}", err=True)
        sys.exit(1)
    click.echo(f"LAGRET (opplasting {upload_id}): {message}")
    click.echo(f"  Angre med: slt rollback {upload_id}")


@alias.command("legg-til", help="Lær programmet et navn. TYPE er krimtype, alder, kjønn, total, "
                                "kolonne, skolenivå, lovbruddsgruppe eller region; BETYR er et "
                                "navn programmet kjenner fra før (ikke for total). Eksempel: "
                                "slt alias legg-til krimtype \"Tyveri fra butikk\" Vinning, "
                                "slt alias legg-til region \"Bø i Telemark\" Midt-Telemark")
@click.argument("kind", metavar="TYPE", type=KINDS)
@click.argument("navn")
@click.argument("betyr", required=False)
@click.option("--ny", is_flag=True, help="En ny krimtype (ikke et annet navn for en kjent).")
@click.option("--user", default=None, help="Hvem som gjør endringen (lagres i historikken).")
@db_option
def add(kind: str, navn: str, betyr: str | None, ny: bool, user: str | None,
        db: Path | None) -> None:
    from etl import aliases

    _run(lambda: aliases.add(resolve_db(db), kind, navn, betyr, user, new=ny))


@alias.command("fjern", help="Ta bort et navn dere har lagt til (programmets egne kan ikke "
                             "tas bort).")
@click.argument("kind", metavar="TYPE", type=KINDS)
@click.argument("navn")
@click.option("--user", default=None, help="Hvem som gjør endringen (lagres i historikken).")
@db_option
def remove(kind: str, navn: str, user: str | None, db: Path | None) -> None:
    from etl import aliases

    _run(lambda: aliases.remove(resolve_db(db), kind, navn, user))


@alias.command("vis", help="Vis navnene dere har lagt til.")
@db_option
def show(db: Path | None) -> None:
    from etl.aliases import listing

    rows = listing(resolve_db(db))
    if not rows:
        click.echo("Ingen egne navn ennå. Legg til med: slt alias legg-til TYPE NAVN BETYR")
    for kind, name, meaning, upload_id in rows:
        click.echo(f"{kind}: «{name}» = {meaning}  (opplasting {upload_id})")
