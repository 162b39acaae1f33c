"""A national-size SYNTHETIC database: every kommune, 2010-2025, crime type × age × gender.

Run: ``.venv/bin/python bench/make_national.py [--out bench/out/national.duckdb] [--first 2010]``.

The figures are invented but plausible: each kommune's expected U18 offences are its real
population aged 10-17 (SSB 07459, ``data/reference/population``; 2015 is used for 2010-2014)
times a national rate, a kommune level drawn once, and a gentle trend, split over crime types,
ages and genders in the shares of the Grenland sample, then drawn from a Poisson distribution.
They go through the real ingest engine as a long CSV, so the database is built exactly as a
real one would be.  The upload is recorded with source file ``SYNTETISK_*`` and user
``synthetic``, and ``meta`` gets ``synthetic = true`` so the app can say so.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

POPULATION = REPO / "data" / "reference" / "population" / "pop_municip_age10-24_b2024_2015-2026.csv"
RATE_PER_1000 = 35.0  # U18 offences per 1 000 aged 10-17 a year, about Grenland's level
TYPE_SHARES = {"Vold": .24, "Vinning": .20, "Narkotika": .11, "Annen": .13, "Skadeverk": .08,
               "Trafikk": .11, "Seksuallovbrudd": .04, "Økonomi": .04, "Undersøkelsessaker": .005}
AGE_SHARES = {"<10": .004, "10": .006, "11": .014, "12": .04, "13": .10, "14": .16, "15": .22,
              "16": .23, "17": .226}
GIRL_SHARE = 0.22
SYNTHETIC_FILE = "SYNTETISK_nasjonal_u18_{first}-{last}.csv"


def population_10_17() -> dict[str, dict[int, int]]:
    """kommunenummer → year → persons aged 10-17 (both sexes)."""
    totals: dict[str, dict[int, int]] = {}
    with open(POPULATION, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["sex"] in ("female", "male") and 10 <= int(row["age"]) <= 17:
                by_year = totals.setdefault(row["kommunenummer"], {})
                by_year[int(row["year"])] = by_year.get(int(row["year"]), 0) + int(row["pop_jan1"])
    return totals


def write_csv(path: Path, first: int, last: int, seed: int = 2024) -> int:
    rng = np.random.default_rng(seed)
    pop = population_10_17()
    types, type_p = list(TYPE_SHARES), np.array(list(TYPE_SHARES.values()))
    ages, age_p = list(AGE_SHARES), np.array(list(AGE_SHARES.values()))
    genders, gender_p = ["Jenter", "Gutter"], np.array([GIRL_SHARE, 1 - GIRL_SHARE])
    shares = (type_p[:, None, None] / type_p.sum()) * (age_p[None, :, None] / age_p.sum()) \
        * gender_p[None, None, :]
    labels = [(t, a, g) for t in types for a in ages for g in genders]
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("Kommune;År;Krimtype;Alder;Kjønn;Antall\n")
        for number, by_year in sorted(pop.items()):
            level = rng.lognormal(0, 0.35)
            trend = rng.normal(0, 0.03)
            for year in range(first, last + 1):
                persons = by_year.get(year, by_year[min(by_year)])
                mean = persons / 1000 * RATE_PER_1000 * level * (1 + trend) ** (year - 2015)
                counts = rng.poisson(mean * shares).ravel()
                fh.write("".join(f"{number};{year};{t};{a};{g};{c}\n"
                                 for (t, a, g), c in zip(labels, counts)))
                rows += len(labels)
    return rows


def build(out: Path, first: int, last: int) -> None:
    from etl.ingest import ingest_file
    from etl.store import writing

    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / SYNTHETIC_FILE.format(first=first, last=last)
        start = time.perf_counter()
        rows = write_csv(path, first, last)
        written = time.perf_counter()
        outcome = ingest_file(path, out, user="synthetic", today=dt.date(last + 1, 1, 15))
        done = time.perf_counter()
    with writing(out) as con:
        con.execute("DELETE FROM meta WHERE key = 'synthetic'")
        con.execute("INSERT INTO meta VALUES ('synthetic', 'true')")
    print(f"{rows:,} rows written in {written - start:.1f} s, ingested in {done - written:.1f} s "
          f"({rows / (done - written):,.0f} rows/s): {outcome.status}, {outcome.rows:,} stored "
          f"→ {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "national.duckdb")
    parser.add_argument("--first", type=int, default=2010)
    parser.add_argument("--last", type=int, default=2025)
    args = parser.parse_args()
    build(args.out, args.first, args.last)


if __name__ == "__main__":
    main()
