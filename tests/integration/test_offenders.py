"""The number of offenders (gjerningspersoner) a police file may give besides the offences:
stored where given, NULL (never 0) where not, and the series a change is judged on — through
the real ``slt ingest`` and ``slt report`` and a real DuckDB file."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from report.build import gather
from tests.conftest import query
from tests.integration.test_store_compat import old_store

HEADER = "Kommune;År;Krimtype;Antall;Gjerningspersoner"
# Porsgrunn's violence, six years: about 20 offences by about 10 young people a year, then 60
# offences in 2024 by the same number of people (a few committed many more).
CLUSTERED = [(2019, 21, 11), (2020, 19, 10), (2021, 22, 11), (2022, 18, 9), (2023, 20, 10),
             (2024, 60, 10)]


def write(path: Path, lines: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def clustered_file(path: Path, with_offenders: bool = True) -> Path:
    lines = []
    for year, offences, offenders in CLUSTERED:
        girls = offences // 3
        lines += [f"Porsgrunn;{year};Vold;Jenter;{girls};",
                  f"Porsgrunn;{year};Vold;Gutter;{offences - girls};",
                  f"Porsgrunn;{year};Totalt;Totalt;{offences};"
                  f"{offenders if with_offenders else ''}"]
    return write(path, lines, header="Kommune;År;Krimtype;Kjønn;Antall;Gjerningspersoner")


def offenders_of(db: Path, region: str = "Porsgrunn") -> list[tuple]:
    return query(db, "SELECT year, crime_type, gender, offences, offenders FROM u18_offences "
                     "WHERE region = ? ORDER BY year, crime_type <> 'Totalt', crime_type",
                 [region])


def test_a_long_csv_with_an_offenders_column_stores_them_beside_the_offences(tmp_path, db,
                                                                              slt):
    path = write(tmp_path / "u18.csv", ["Porsgrunn;2022;Vold;20;10",
                                        "Porsgrunn;2022;Vinning;5;4",
                                        "Porsgrunn;2022;Totalt;25;13"])
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert offenders_of(db) == [(2022, "Totalt", "Totalt", 25, 13),
                                (2022, "Vinning", "Totalt", 5, 4),
                                (2022, "Vold", "Totalt", 20, 10)]
    assert query(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("3",)]


def test_a_file_without_offenders_leaves_them_null_not_zero(tmp_path, db, slt):
    path = write(tmp_path / "u18.csv", ["Porsgrunn;2022;Vold;20",
                                        "Porsgrunn;2022;Vinning;5"],
                 header="Kommune;År;Krimtype;Antall")
    assert slt("ingest", path, "--db", db).returncode == 0
    rows = offenders_of(db)
    assert len(rows) == 3 and all(offenders is None for *_rest, offenders in rows)


@pytest.mark.parametrize("hidden", ["..", ":", "*", ""])
def test_a_suppressed_or_blank_offenders_cell_stays_null(tmp_path, db, slt, hidden):
    path = write(tmp_path / "u18.csv", [f"Porsgrunn;2022;Vold;20;{hidden}",
                                        "Porsgrunn;2022;Vinning;5;4"])
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert offenders_of(db) == [(2022, "Totalt", "Totalt", 25, None),
                                (2022, "Vinning", "Totalt", 5, 4),
                                (2022, "Vold", "Totalt", 20, None)]


def test_offenders_are_never_summed_into_a_total_the_file_does_not_give(tmp_path, db, slt):
    """One young person may commit violence and theft: the crime types' offenders do not add
    up to the total's, so a derived total has offences but no offenders."""
    path = write(tmp_path / "u18.csv", ["Porsgrunn;2022;Vold;20;10",
                                        "Porsgrunn;2022;Vinning;5;4"])
    assert slt("ingest", path, "--db", db).returncode == 0
    assert offenders_of(db)[0] == (2022, "Totalt", "Totalt", 25, None)


def test_offenders_that_cannot_be_are_refused_naming_the_line(tmp_path, db, slt):
    path = write(tmp_path / "u18.csv", ["Porsgrunn;2022;Vold;20;30",
                                        "Porsgrunn;2022;Vinning;;3",
                                        "Porsgrunn;2022;Annen;4;ca. 2"])
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 1
    assert "u18.csv: rad 4: Annen, gjerningspersoner 2022: «ca. 2» er ikke et antall" \
        in done.stdout + done.stderr
    fixed = write(tmp_path / "u18.csv", ["Porsgrunn;2022;Vold;20;30",
                                         "Porsgrunn;2022;Vinning;;3"])
    done = slt("ingest", fixed, "--db", db)
    assert done.returncode == 1
    assert ("u18.csv: rad 2: Vold 2022: 30 gjerningspersoner, men bare 20 forhold (hver "
            "gjerningsperson har begått minst ett forhold)") in done.stdout + done.stderr
    assert ("u18.csv: rad 3: Vinning 2022: 3 gjerningspersoner, men ingen forhold er oppgitt"
            in done.stdout + done.stderr)
    assert query(db, "SELECT count(*) FROM u18_current") == [(0,)]


def test_a_long_sheet_with_an_offenders_column_names_its_cell(tmp_path, db, slt):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "U18"
    for row in (["Kommune", "År", "Krimtype", "Antall", "Antall gjerningspersoner"],
                ["Skien", 2022, "Vold", 20, 8], ["Skien", 2022, "Vinning", 6, 9]):
        sheet.append(row)
    book.save(tmp_path / "u18.xlsx")
    done = slt("ingest", tmp_path / "u18.xlsx", "--db", db)
    assert done.returncode == 1
    assert ("u18.xlsx, ark «U18», celle E3: Vinning 2022: 9 gjerningspersoner, men bare 6 "
            "forhold") in done.stdout + done.stderr
    sheet["E3"] = 5
    book.save(tmp_path / "u18.xlsx")
    assert slt("ingest", tmp_path / "u18.xlsx", "--db", db).returncode == 0
    assert offenders_of(db, "Skien") == [(2022, "Totalt", "Totalt", 26, None),
                                         (2022, "Vinning", "Totalt", 6, 5),
                                         (2022, "Vold", "Totalt", 20, 8)]


def test_a_csv_whose_offenders_column_is_named_antall_gjerningspersoner_is_a_police_table(
        tmp_path, db, slt):
    """FHI's columns read «Antall gjerningspersoner» as a value in «antall»: the file was
    stored as survey indicators «Vold» and «Vinning» (found when a workbook of it was)."""
    path = write(tmp_path / "u18.csv", ["Skien;2022;Vold;20;8", "Skien;2022;Vinning;6;5"],
                 header="Kommune;År;Krimtype;Antall;Antall gjerningspersoner")
    done = slt("ingest", path, "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert query(db, "SELECT source FROM uploads") == [("u18",)]
    assert query(db, "SELECT count(*) FROM ungdata_facts") == [(0,)]
    assert offenders_of(db, "Skien") == [(2022, "Totalt", "Totalt", 26, None),
                                         (2022, "Vinning", "Totalt", 6, 5),
                                         (2022, "Vold", "Totalt", 20, 8)]


def test_a_change_of_offenders_alone_replaces_the_year_and_the_same_file_changes_nothing(
        tmp_path, db, slt):
    first = write(tmp_path / "a.csv", ["Porsgrunn;2022;Vold;20;10"])
    assert slt("ingest", first, "--db", db).returncode == 0
    again = slt("ingest", first, "--db", db)
    assert again.stdout.startswith("UENDRET")
    second = write(tmp_path / "b.csv", ["Porsgrunn;2022;Vold;20;12"])
    replaced = slt("ingest", second, "--db", db)
    assert replaced.stdout.startswith("LAGRET") and "erstattet: 2022" in replaced.stdout
    assert query(db, "SELECT offenders FROM u18_history WHERE crime_type = 'Vold'") == [(10,)]
    assert slt("rollback", "3", "--db", db).returncode == 0
    assert offenders_of(db)[-1] == (2022, "Vold", "Totalt", 20, 10)


def report_text(db: Path, tmp_path: Path, slt) -> str:
    out = tmp_path / "porsgrunn.md"
    made = slt("report", "--region", "Porsgrunn", "--format", "md", "--out", out, "--db", db)
    assert made.returncode == 0, made.stderr
    return out.read_text(encoding="utf-8")


def test_clustered_offences_are_judged_on_the_offenders_and_the_report_says_so(tmp_path, db,
                                                                                slt):
    assert slt("ingest", clustered_file(tmp_path / "u18.csv"), "--db", db).returncode == 0
    text = report_text(db, tmp_path, slt)
    body, appendix = text.split("## Vedlegg")[0], text.split("## Vedlegg")[1]
    assert ("U18-forhold i alt: 60 i 2024 mot 20 i 2023. Antall gjerningspersoner: 10 mot 10, "
            "innenfor tilfeldig variasjon (vurdert på antall gjerningspersoner).") in body
    assert not re.search(r"U18-forhold i alt[^.]*økte", body)
    assert "| Vurdert på |" in appendix
    assert re.search(r"\| U18-forhold i alt \| 2024 mot 2023 \| 60 mot 20 \(gjerningspersoner "
                     r"10 mot 10\) \|.*\| innenfor tilfeldig variasjon \| antall "
                     r"gjerningspersoner \|", appendix)
    # Girls and boys have no offenders in the file: judged on offences, as the table says.
    assert re.search(r"\| Forhold begått av gutter \| 2024 mot 2023 \|.*\| antall forhold \|",
                     appendix)
    total = [f for f in gather(db, "Porsgrunn").police if f.family == "total"]
    assert {f.basis for f in total} == {"offenders"} and not any(f.significant for f in total)


def test_without_offenders_the_same_offences_are_judged_on_offences(tmp_path, db, slt):
    path = clustered_file(tmp_path / "u18.csv", with_offenders=False)
    assert slt("ingest", path, "--db", db).returncode == 0
    text = report_text(db, tmp_path, slt)
    assert "U18-forhold i alt økte fra 20 i 2023 til 60 i 2024, en reell økning." in text
    assert "(vurdert på antall gjerningspersoner)" not in text
    assert re.search(r"\| U18-forhold i alt \| 2024 mot 2023 \|.*\| en reell økning \| antall "
                     r"forhold \|", text)


def test_offenders_missing_in_a_year_compared_means_judging_on_offences(tmp_path, db, slt):
    path = clustered_file(tmp_path / "u18.csv")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Porsgrunn;2023;Totalt;Totalt;20;10", "Porsgrunn;2023;Totalt;Totalt;20;.."),
        encoding="utf-8")
    assert slt("ingest", path, "--db", db).returncode == 0
    yoy = [f for f in gather(db, "Porsgrunn").police if f.family == "total" and f.kind == "yoy"]
    assert [(f.basis, f.verdict) for f in yoy] == [("offences", "en reell økning")]


def test_a_store_made_before_offenders_existed_is_reported_then_migrated_on_write(tmp_path,
                                                                                   slt):
    db = old_store(tmp_path)
    before = slt("report", "--region", "Grenland", "--format", "md", "--out",
                 tmp_path / "before.md", "--db", db)
    assert before.returncode == 0, before.stderr
    assert query(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("1",)]
    [(grenland,)] = query(db, "SELECT count(*) FROM u18_offences WHERE region = 'Grenland'")
    path = write(tmp_path / "u18.csv", ["Porsgrunn;2022;Vold;20;10"])
    assert slt("ingest", path, "--db", db).returncode == 0
    assert query(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("3",)]
    assert query(db, "SELECT count(*), count(offenders) FROM u18_offences "
                     "WHERE region = 'Grenland'") == [(grenland, 0)]
    assert offenders_of(db)[-1] == (2022, "Vold", "Totalt", 20, 10)
    replaced = slt("ingest", write(tmp_path / "g.csv", ["Grenland;2019;Vold;20;10"]),
                   "--db", db, "--force")
    assert replaced.returncode == 0, replaced.stdout
    assert slt("rollback", "3", "--db", db).returncode == 0
    assert query(db, "SELECT count(*), count(offenders) FROM u18_offences "
                     "WHERE region = 'Grenland'") == [(grenland, 0)]


def test_a_workbook_table_of_offenders_is_read_beside_the_table_of_offences(tmp_path, db,
                                                                             slt):
    """Layout (b): one table per sheet; the sheet whose title says «gjerningspersoner»
    (etl/vocab/offender_titles.csv) counts offenders, here with a «3/10» girls/boys row."""
    book = openpyxl.Workbook()
    tables = {
        "Krimtype": ("Skien kommune - U18-forhold fordelt på krimtype",
                     [["Krimtype", 2022, 2023], ["Vold", 20, 60], ["Vinning", 5, 7],
                      ["Totalt", 25, 67]]),
        "Kjønn": ("Skien kommune - U18-forhold fordelt på kjønn",
                  [["Kjønn", 2022, 2023], ["Jenter/gutter", "8/17", "20/47"],
                   ["Totalt", 25, 67]]),
        "Personer": ("Skien kommune - antall gjerningspersoner fordelt på krimtype og kjønn",
                     [["Krimtype", 2022, 2023], ["Vold", 10, 10], ["Vinning", 4, ".."],
                      ["Jenter/gutter", "3/10", "4/11"], ["Totalt", 13, 15]]),
    }
    book.remove(book.active)
    for name, (title, rows) in tables.items():
        sheet = book.create_sheet(name)
        for row in [[title], [], *rows]:
            sheet.append(row)
    book.save(tmp_path / "skien.xlsx")
    done = slt("ingest", tmp_path / "skien.xlsx", "--db", db)
    assert done.returncode == 0, done.stdout + done.stderr
    assert query(db, "SELECT year, crime_type, gender, offences, offenders FROM u18_offences "
                     "WHERE year = 2023 ORDER BY ALL") == [
        (2023, "Totalt", "Gutter", 47, 11), (2023, "Totalt", "Jenter", 20, 4),
        (2023, "Totalt", "Totalt", 67, 15), (2023, "Vinning", "Totalt", 7, None),
        (2023, "Vold", "Totalt", 60, 10)]
    book["Personer"]["C4"] = 61
    book.save(tmp_path / "skien.xlsx")
    done = slt("ingest", tmp_path / "skien.xlsx", "--db", db)
    assert done.returncode == 1
    assert ("skien.xlsx, ark «Personer», celle C4: Vold 2023: 61 gjerningspersoner, men "
            "bare 60 forhold") in done.stdout + done.stderr


def test_a_seed_title_about_offences_by_persons_under_18_is_not_a_table_of_offenders():
    from etl.vocab import load_vocab

    vocab = load_vocab()
    assert not vocab.counts_offenders("Straffbare forhold begått av personer under 18 år")
    assert not vocab.counts_offenders("Grenland psd. - U18-forhold fordelt på alder og kjønn")
    assert vocab.counts_offenders("Grenland psd - Antall gjerningspersoner per krimtype")
    assert vocab.counts_offenders("GJERNINGSPERSONER")


def test_the_preview_lists_a_changed_count_of_offenders(tmp_path, db, slt):
    assert slt("ingest", write(tmp_path / "a.csv", ["Porsgrunn;2022;Vold;20;10"]),
               "--db", db).returncode == 0
    preview = slt("ingest", write(tmp_path / "b.csv", ["Porsgrunn;2022;Vold;20;12"]),
                  "--db", db, "--dry-run")
    assert preview.returncode == 0, preview.stderr
    assert "  Porsgrunn 2022 Vold, gjerningspersoner: 10 → 12" in preview.stdout
    assert "Porsgrunn 2022 Vold: " not in preview.stdout
