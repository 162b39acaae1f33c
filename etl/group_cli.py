"""``slt gruppe``: make, change, delete and list region groups (SLT cooperations).

Each change is one upload in ``uploads`` (source ``gruppe``) that ``slt rollback`` undoes;
a refused change writes nothing and exits 1.  The engine is :mod:`etl.groups`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.cli import cli, db_option, resolve_db
from etl.groups import GroupError, split_names

KOMMUNER_HELP = "Kommunene, skilt med komma: \"Porsgrunn,Skien,Bamble\"."


@cli.group(help="Regiongrupper (SLT-samarbeid av flere kommuner): lag, endre, slett, list. "
                "Hver endring kan angres med slt rollback.")
def gruppe() -> None:
    pass


def _run(action) -> None:
    """Run a change; print LAGRET, UENDRET or AVVIST like ``slt ingest``."""
    try:
        done = action()
    except GroupError as refused:
        click.echo(f"AVVIST: {refused}", err=True)
        sys.exit(1)
    if done is None:
        click.echo("UENDRET: gruppen er allerede slik; ingenting er endret")
        return
    click.echo(f"LAGRET (opplasting {done.upload_id}): {done.message}")
    click.echo(f"  Angre med: slt rollback {done.upload_id}")


@gruppe.command("lag", help="Lag en ny gruppe av minst to kommuner.")
@click.argument("navn")
@click.option("--kommuner", required=True, help=KOMMUNER_HELP)
@click.option("--user", default=None, help="Hvem som gjør endringen (lagres i historikken).")
@db_option
def lag(navn: str, kommuner: str, user: str | None, db: Path | None) -> None:
    from etl.groups import create

    _run(lambda: create(resolve_db(db), navn, split_names(kommuner), user))


@gruppe.command("endre", help="Gi en gruppe nytt navn og/eller endre kommunene i den.")
@click.argument("navn")
@click.option("--nytt-navn", default=None, help="Gruppens nye navn.")
@click.option("--kommuner", default=None, help="Alle kommunene gruppen skal ha. " + KOMMUNER_HELP)
@click.option("--legg-til", default=None, help="Kommuner som skal med, skilt med komma.")
@click.option("--ta-ut", default=None, help="Kommuner som skal ut, skilt med komma.")
@click.option("--user", default=None, help="Hvem som gjør endringen (lagres i historikken).")
@db_option
def endre(navn: str, nytt_navn: str | None, kommuner: str | None, legg_til: str | None,
          ta_ut: str | None, user: str | None, db: Path | None) -> None:
    from etl.groups import change

    if not any((nytt_navn, kommuner, legg_til, ta_ut)):
        raise click.UsageError("oppgi minst én av --nytt-navn, --kommuner, --legg-til, --ta-ut")
    _run(lambda: change(resolve_db(db), navn, new_name=nytt_navn,
                        kommuner=None if kommuner is None else split_names(kommuner),
                        add=split_names(legg_til), remove=split_names(ta_ut), user=user))


@gruppe.command("slett", help="Slett en gruppe (ikke en som har egne tall, f.eks. politiets).")
@click.argument("navn")
@click.option("--user", default=None, help="Hvem som gjør endringen (lagres i historikken).")
@db_option
def slett(navn: str, user: str | None, db: Path | None) -> None:
    from etl.groups import delete

    _run(lambda: delete(resolve_db(db), navn, user))


@gruppe.command("list", help="Vis gruppene, kommunene i dem og når de sist ble endret.")
@db_option
def liste(db: Path | None) -> None:
    from etl.groups import described
    from etl.store import StoreMissing, connect_read

    try:
        con = connect_read(resolve_db(db))
    except StoreMissing as missing:
        raise click.ClickException(f"databasen {missing} finnes ikke ennå") from None
    with con:
        found = described(con)
    if not found:
        click.echo("Ingen grupper. Lag en med: slt gruppe lag NAVN --kommuner \"A,B\"")
    for group in found:
        click.echo(f"{group['name']}: {', '.join(group['members'])}")
        click.echo(f"      {group['since']}")
