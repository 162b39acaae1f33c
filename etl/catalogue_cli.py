"""``slt katalog``: the open indicator catalogue from the command line (the same engine as the
Indikatorkatalog page, :mod:`etl.catalogue`)."""

from __future__ import annotations

from pathlib import Path

import click

from etl.cli import cli, db_option, resolve_db
from etl.errors import IngestError


@cli.group("katalog", help="Indikatorkatalogen: se og fullfør oppføringer (navn, tema, retning, "
                           "krimtyper, enhet). Hver endring kan angres med «slt rollback».")
def katalog() -> None:
    pass


def _yes_no(value) -> str:
    import pandas as pd  # (a frame's cell: pandas is loaded already)

    return "–" if pd.isna(value) else ("ja" if value else "nei")


@katalog.command("vis", help="Vis katalogen; de som ikke er katalogisert ennå, først.")
@click.option("--ny", "only_new", is_flag=True, help="Bare indikatorer som ikke er katalogisert.")
@db_option
def show(only_new: bool, db: Path | None) -> None:
    from etl.catalogue import catalogue
    from etl.store import StoreMissing

    try:
        frame = catalogue(resolve_db(db))
    except StoreMissing as missing:
        raise click.ClickException(f"databasen {missing} finnes ikke ennå") from None
    if only_new:
        frame = frame[~frame["catalogued"]]
    for row in frame.itertuples():
        mark = "" if row.catalogued else "  [ikke katalogisert]"
        click.echo(f"{row.indicator}{mark}\n    {row.label} · {row.theme} · enhet {row.unit} · "
                   f"høyere er bedre: {_yes_no(row.higher_is_better)} · krimtyper: "
                   f"{', '.join(row.crime_types) or '–'} · {row.figures} tall")
    if frame.empty:
        click.echo("ingen indikatorer" + (" som mangler katalogisering" if only_new else ""))


@katalog.command("sett", help="Fullfør eller endre oppføringen for INDIKATOR (id-en fra «slt "
                              "katalog vis»). Det som ikke oppgis, beholdes.")
@click.argument("indicator")
@click.option("--navn", default=None, help="Norsk navn.")
@click.option("--tema", default=None, help="Tema, f.eks. rus, skole, psykisk helse.")
@click.option("--hoyere-er-bedre/--lavere-er-bedre", "higher", default=None,
              help="Om en høyere verdi er gunstig.")
@click.option("--krimtyper", default=None,
              help="Politiets krimtyper indikatoren henger sammen med, skilt med «;» "
                   "(tom tekst fjerner dem).")
@click.option("--enhet", default=None, help="Enhet (prosent, per 1 000 …), bare før det finnes "
                                            "tall for indikatoren.")
@click.option("--user", default=None, help="Hvem som endrer (lagres i historikken).")
@db_option
def set_(indicator: str, navn: str | None, tema: str | None, higher: bool | None,
         krimtyper: str | None, enhet: str | None, user: str | None, db: Path | None) -> None:
    from etl.catalogue import Entry, set_entry

    crime_types = None if krimtyper is None else tuple(
        c.strip() for c in krimtyper.split(";") if c.strip())
    entry = Entry(label=navn, theme=tema, higher_is_better=higher, crime_types=crime_types,
                  unit=enhet)
    try:
        upload_id = set_entry(resolve_db(db), indicator, entry, user)
    except IngestError as error:
        raise click.ClickException("; ".join(p.message for p in error.problems)) from None
    click.echo(f"LAGRET katalogoppføringen for {indicator} (opplasting {upload_id}); "
               f"angre med «slt rollback {upload_id}»")
