"""A file of many regions and years gets a summary (on the terminal, in ``uploads.message``),
with the full list one command away: ``slt history --id N --full``."""

from __future__ import annotations

from tests.conftest import SEED_WORKBOOK, query

KOMMUNER = ["Bamble", "Drangedal", "Kragerø", "Nome", "Porsgrunn", "Siljan", "Skien", "Tinn"]


def write(path, years: dict[str, int]) -> None:
    """A long CSV of every kommune above for ``years`` (label → a figure to vary)."""
    lines = ["År;Kommune;Antall"]
    lines += [f"{label};{name};{base + i}" for label, base in years.items()
              for i, name in enumerate(KOMMUNER)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_many_regions_are_summarised_and_the_full_list_is_one_command_away(slt, db, tmp_path):
    first = tmp_path / "first.csv"
    write(first, {"2022": 10, "2023": 20, "2024 (pr. 01.08)": 5})
    result = slt("ingest", first, "--db", db)
    assert result.returncode == 0, result.stderr
    summary = ("8 regioner og 3 år (2022–2024); nye år for 8 regioner (Bamble, Drangedal, "
               "Kragerø og 5 til), 24 region-år")
    assert f"(opplasting 1, 24 tall): {summary}\n" in result.stdout
    assert "(hele listen, 8 linjer: slt history --id 1 --full)" in result.stdout
    [(stored,)] = query(db, "SELECT message FROM uploads WHERE upload_id = 1")
    assert stored.splitlines() == [summary, *(f"{name} nye år: 2022, 2023, 2024"
                                              for name in KOMMUNER)]

    second = tmp_path / "second.csv"
    write(second, {"2023": 21, "2024": 9})
    result = slt("ingest", second, "--db", db)
    assert result.returncode == 0, result.stderr
    assert ("8 regioner og 2 år (2023–2024); erstattet for 8 regioner (Bamble, Drangedal, "
            "Kragerø og 5 til), 16 region-år fra opplasting 1; 8 region-år skifter mellom delår "
            "og helt år (Bamble 2024, Drangedal 2024, Kragerø 2024 og 5 til)") in result.stdout

    history = slt("history", "--db", db).stdout
    assert "Bamble, Drangedal, Kragerø og 5 til 2022–2024" in history
    assert "Skien nye år" not in history and "(+8 linjer: slt history --id 1 --full)" in history
    full = slt("history", "--db", db, "--id", "1", "--full").stdout
    assert "first.csv" in full and "second.csv" not in full
    assert all(f"      {name} nye år: 2022, 2023, 2024\n" in full for name in KOMMUNER)
    details = slt("history", "--db", db, "--id", "2", "--full").stdout
    assert "      Skien 2024 går fra delår til 01.08.2024 til helt år\n" in details


def test_the_dashboard_lists_an_accepted_upload_by_its_summary(db, tmp_path):
    from dashboard import queries
    from etl.dispatch import ingest_any

    path = tmp_path / "many.csv"
    write(path, {"2022": 10})
    outcome = ingest_any(path, db)
    queries.configure(db)
    assert queries.uploads()["message"].tolist() == [outcome.message]
    assert "\n" not in outcome.message and len(outcome.details) == 8


def test_a_dry_run_prints_the_full_list_with_full(slt, db, tmp_path):
    path = tmp_path / "many.csv"
    write(path, {"2022": 10})
    short = slt("ingest", path, "--db", db, "--dry-run")
    assert "(hele listen, 8 linjer: legg til --full)" in short.stdout
    assert "Tinn nye år" not in short.stdout
    full = slt("ingest", path, "--db", db, "--dry-run", "--full")
    assert "  Tinn nye år: 2022\n" in full.stdout


def test_a_file_of_few_regions_keeps_its_one_line_message(slt, db):
    result = slt("ingest", SEED_WORKBOOK, "--db", db)
    assert result.stdout.endswith("Grenland nye år: 2019, 2020, 2021, 2022, 2023, 2024\n")
    assert "hele listen" not in result.stdout
    assert query(db, "SELECT message FROM uploads") == [
        ("Grenland nye år: 2019, 2020, 2021, 2022, 2023, 2024",)]
    assert slt("history", "--db", db, "--id", "7").returncode == 1


def test_a_survey_file_that_changes_stored_figures_says_how_many_and_from_which_upload(
        slt, db, tmp_path):
    """A police file says which years it replaced; a survey file said nothing when it changed
    a stored share (only the preview listed it)."""
    from tests.conftest import SAMPLE

    original = SAMPLE / "trivsel_10_klasse_treaarig.csv"
    assert slt("ingest", original, "--db", db).returncode == 0
    lines = original.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("Hele landet,2014/15-2016/17,") and ",0.856," in lines[1]
    edited = tmp_path / "trivsel_ny.csv"
    edited.write_text("\n".join([lines[0], lines[1].replace(",0.856,", ",0.9,"), *lines[2:]])
                      + "\n", encoding="utf-8")
    result = slt("ingest", edited, "--db", db)
    assert result.returncode == 0, result.stderr
    assert ("; endrer 1 tall som var lagret, fra opplasting 1 (Hele landet 2014/15-2016/17, "
            "Trives godt på skolen (Elevundersøkelsen), Ungdomsskole, 10. trinn, Totalt: "
            "85,6 % → 90,0 %)") in result.stdout
    [(stored,)] = query(db, "SELECT message FROM uploads WHERE upload_id = 2")
    assert "endrer 1 tall som var lagret, fra opplasting 1" in stored
