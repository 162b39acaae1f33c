"""A region group's partial year: its kommuner's figures are summed only when they are counted
to the same day (a full year plus a half year is neither), and «Hittil i år mot samme periode i
fjor» finds the same period of the year before as the sum of its kommuner's, as it does for a
kommune. Real store, real ingest, the page's own queries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dashboard import police_queries, queries
from etl import groups
from etl.dispatch import ingest_any
from tests.conftest import query

COUNTS = {"Porsgrunn": {"Vold": 30, "Vinning": 20}, "Skien": {"Vold": 50, "Vinning": 10}}


def _file(tmp_path: Path, year: int, through: str | None, scale: int = 1,
          kommuner: tuple[str, ...] = ("Porsgrunn", "Skien")) -> Path:
    """Each kommune's Vold and Vinning (times ``scale``), counted through ``through``."""
    path = tmp_path / f"u18_{year}_{through or 'helt'}_{'_'.join(kommuner)}.csv"
    lines = [f"{k};{year};{crime};{n * scale};{through or ''}"
             for k in kommuner for crime, n in COUNTS[k].items()]
    path.write_text("Kommune;År;Lovbruddsgruppe;Antall;Telt til\n" + "\n".join(lines) + "\n",
                    encoding="utf-8")
    return path


def _store(tmp_path: Path, *files: Path) -> Path:
    db = tmp_path / "slt.duckdb"
    for path in files:
        assert ingest_any(path, db).status == "accepted"
    groups.create(db, "Nedre Telemark", ["Porsgrunn", "Skien"])
    queries.configure(db)
    return db


def test_the_same_period_last_year_of_a_group_is_its_kommuners_sum(tmp_path):
    db = _store(tmp_path, _file(tmp_path, 2024, "30.06.2024"), _file(tmp_path, 2024, None, 2),
           _file(tmp_path, 2025, "30.06.2025", 3))
    before = police_queries.u18_same_period("Nedre Telemark", 2024, dt.date(2025, 6, 30))
    assert dict(zip(before["crime_type"], before["offences"])) == {
        "Totalt": 110, "Vinning": 30, "Vold": 80}
    from dashboard.app import create_app

    create_app(db)
    queries.configure(db)
    from dashboard.pages import ungdomskriminalitet

    title, *_ = ungdomskriminalitet._same_period("Nedre Telemark", [2023, 2025])
    assert "forhold mot 110 samme periode i 2024" in title, title  # the page compares them
    # a kommune's is its own, as before
    own = police_queries.u18_same_period("Skien", 2024, dt.date(2025, 6, 30))
    assert dict(zip(own["crime_type"], own["offences"])) == {"Totalt": 60, "Vinning": 10,
                                                             "Vold": 50}


def test_a_group_has_no_same_period_when_one_kommune_lacks_it_and_says_which(tmp_path):
    db = _store(tmp_path, _file(tmp_path, 2024, "30.06.2024", kommuner=("Skien",)),
                _file(tmp_path, 2024, None, 2), _file(tmp_path, 2025, "30.06.2025", 3))
    assert police_queries.u18_same_period("Nedre Telemark", 2024, dt.date(2025, 6, 30)).empty
    from dashboard.app import create_app

    create_app(db)
    queries.configure(db)
    from dashboard.pages import ungdomskriminalitet

    shown = str(ungdomskriminalitet._same_period("Nedre Telemark", [2023, 2025]))
    assert "Porsgrunn mangler dem, så summen for Nedre Telemark kan ikke lages." in shown, shown
    assert "mangler dem" not in str(ungdomskriminalitet._same_period("Porsgrunn", [2023, 2025]))


def test_a_full_year_and_a_partial_year_are_not_summed(tmp_path):
    db = _store(tmp_path, _file(tmp_path, 2024, None, kommuner=("Porsgrunn",)),
                _file(tmp_path, 2024, "30.06.2024", kommuner=("Skien",)),
                _file(tmp_path, 2023, None))
    summed = "FROM {} f JOIN regions r USING (region_code) WHERE r.name = 'Nedre Telemark'"
    years = query(db, "SELECT DISTINCT year " + summed.format("u18_region_figures"))
    assert years == [(2023,)]  # 2024 of Porsgrunn is a whole year, of Skien half of one
    rates = query(db, "SELECT DISTINCT year FROM u18_rates WHERE region = 'Nedre Telemark'")
    assert rates == [(2023,)]
    frame = police_queries.u18_breakdown("Nedre Telemark", "crime_type", 2023, 2024)
    assert sorted(set(frame["year"])) == [2023]
