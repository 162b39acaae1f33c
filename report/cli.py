"""``slt report``: write the knowledge-base report for a region (docx, pdf, html, md, csv).

Registered on the ``slt`` group from :mod:`etl.cli`; import this module to add the command.
"""

from __future__ import annotations

from pathlib import Path

import click

from etl.cli import cli, db_option, resolve_db
from report.writers import FORMATS, file_name


@cli.command("report", help="Lag kunnskapsgrunnlaget for en region: politiets U18-tabeller, "
                            "figurer, funn med vurdering av tilfeldig variasjon, Ungdata, kilder "
                            "og dataversjon.")
@click.option("--region", required=True, help="Region, f.eks. Grenland eller Porsgrunn.")
@click.option("--year", type=int, default=None, help="Siste år i rapporten (standard: nyeste).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="docx", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Filen som skrives (standard: kunnskapsgrunnlag_REGION_ÅR.FORMAT).")
@click.option("--suppress-below", type=click.IntRange(min=2), default=None,
              help="Vis antall under N som «<N» (for publisering). Standard: eksakte tall.")
@db_option
def report_command(region: str, year: int | None, fmt: str, out: Path | None,
                   suppress_below: int | None, db: Path | None) -> None:
    from etl.store import StoreMissing
    from report.build import build_report
    from report.data import RegionNotFound
    from report.writers import write

    try:
        report = build_report(resolve_db(db), region, year, suppress_below,
                              with_charts=fmt != "csv")
    except StoreMissing as missing:
        raise click.ClickException(f"databasen {missing} finnes ikke ennå") from None
    except RegionNotFound as error:
        raise click.ClickException(str(error)) from None
    out = out or Path(file_name(report, fmt))
    written = write(report, fmt, out)
    click.echo(f"SKREVET {written} ({report.region}, til og med {report.year})")
