"""The upload preview and history builders on real engine outcomes; temp-file names; settings."""

from __future__ import annotations

import pytest

from dashboard import settings as config
from dashboard import upload_files
from dashboard.components import upload_history, upload_preview
from etl.dispatch import ingest_any
from etl.errors import IngestError
from etl.store import connect_read
from etl.uploads import history
from tests.conftest import SAMPLE, SEED_WORKBOOK, TEST_DATA, query, snapshot

FULL_YEAR = TEST_DATA / "u18" / "seed_full_year_2024.xlsx"


def text_of(component) -> str:
    """All text in a component tree, in order."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


def test_a_new_workbook_lists_its_new_years_regions_and_size(db):
    outcome = ingest_any(SEED_WORKBOOK, db, dry_run=True)
    text = text_of(upload_preview.preview(outcome, "grenland.xlsx", "u18"))
    assert "Nye år: Grenland 2019, 2020, 2021, 2022, 2023, 2024" in text
    assert "Grenland 2024 er et delår, talt til 01.08.2024" in text
    assert "Politiets U18-tall" in text and "grenland.xlsx" in text and "123" in text
    assert "Endrede tall" not in text and "går fra" not in text


def test_a_full_year_shows_changed_figures_old_to_new_and_partial_to_full(db):
    ingest_any(SEED_WORKBOOK, db)
    outcome = ingest_any(FULL_YEAR, db, dry_run=True)
    card = upload_preview.preview(outcome, "full.xlsx", "u18")
    text = text_of(card)
    assert "Erstattes: Grenland 2024" in text
    assert "Grenland 2024 går fra delår til 01.08.2024 til helt år" in text
    assert "Grenland 2024 Vinning 73 150" in text
    assert "Grenland 2024 16 år 69 146" in text


def test_a_file_of_many_regions_is_summarised_with_every_line_one_click_away(db, tmp_path):
    kommuner = ["Bamble", "Drangedal", "Kragerø", "Nome", "Porsgrunn", "Siljan", "Skien", "Tinn",
                "Vinje", "Seljord"]
    path = tmp_path / "many.csv"
    path.write_text("År;Kommune;Antall\n" + "".join(f"{year};{name};{n}\n" for year in (2022, 2023)
                                                    for n, name in enumerate(kommuner)),
                    encoding="utf-8")
    outcome = ingest_any(path, db, dry_run=True)
    assert outcome.message.startswith("10 regioner og 2 år (2022–2023); nye år for 10 regioner "
                                      "(Bamble, Drangedal, Kragerø og 7 til)")
    card = upload_preview.preview(outcome, "many.csv", "u18")
    assert "10 regioner: Bamble, Drangedal, Kragerø og 7 til" in text_of(card.children.children[2])
    more = card.children.children[3]
    shown, rest = more.children[0].children, more.children[1].children[1].children
    assert len(shown) == upload_preview.SHOWN_SLICE_LINES and len(shown) + len(rest) == 10
    assert text_of(more.children[1].children[0]) == "Vis alle 10 linjer (2 til)"
    assert text_of(rest[-1]) == "Nye år: Vinje 2022, 2023"


def test_the_count_of_further_changes_is_all_of_them_not_only_those_fetched(db, monkeypatch):
    ingest_any(SEED_WORKBOOK, db)
    every = ingest_any(FULL_YEAR, db, dry_run=True)
    assert every.changed == len(every.changes) > 6
    monkeypatch.setattr("etl.changes.MAX_CHANGES", 5)  # fewer fetched than change
    monkeypatch.setattr(upload_preview, "SHOWN_CHANGES", 3)
    outcome = ingest_any(FULL_YEAR, db, dry_run=True)
    assert len(outcome.changes) == 5 and outcome.changed == every.changed
    assert outcome.changes == every.changes[:5]
    text = text_of(upload_preview.preview(outcome, "full.xlsx", "u18"))
    assert f"… og {every.changed - 3} endrede tall til" in text


def test_an_unchanged_file_says_publishing_changes_nothing(db):
    ingest_any(SEED_WORKBOOK, db)
    outcome = ingest_any(SEED_WORKBOOK, db, dry_run=True)
    assert "Å publisere endrer ingenting" in text_of(
        upload_preview.preview(outcome, "grenland.xlsx", "u18"))


def test_a_refusal_lists_every_problem_with_sheet_and_cell(db):
    with pytest.raises(IngestError) as refused:
        ingest_any(TEST_DATA / "u18" / "seed_not_a_number.xlsx", db, dry_run=True)
    text = text_of(upload_preview.refusal(refused.value.lines()))
    assert "ark «U18 Grenland», celle F13: Vold 2023: «ca. 190» er ikke et antall" in text
    assert "Totalt 2023 er 622" not in text  # a sum over the unreadable cell is no problem
    with pytest.raises(IngestError) as refused:
        ingest_any(TEST_DATA / "u18" / "seed_bad_total.xlsx", db, dry_run=True)
    text = text_of(upload_preview.refusal(refused.value.lines()))
    assert "celle C15: Totalt 2020 er 399, men krimtypene summerer til 389" in text


def test_the_size_message_gives_the_size_and_the_limit_with_a_decimal_comma():
    assert upload_preview.too_large(int(1.5 * 2**20), 2**20).startswith(
        "Filen er 1,5 MB, men grensen er 1,0 MB.")
    assert "CSV" not in upload_preview.too_large(int(1.5 * 2**20), 2**20)


def test_the_history_table_has_checksum_outcome_and_undo_only_for_accepted(db):
    ingest_any(SEED_WORKBOOK, db, user="ana")
    ingest_any(SEED_WORKBOOK, db, user="ana")
    with connect_read(db) as con:
        rows = history(con)
    table = upload_history.history_table(rows)
    text = text_of(table)
    assert "Lagret" in text and "Uendret" in text and rows[0]["sha256"][:12] in text
    assert "Grenland 2019–2024" in text
    buttons = [r.children[-1].children for r in table.children[1].children]
    assert [getattr(b, "id", None) for b in buttons] == [None, {"type": "hist-undo",
                                                                 "index": rows[1]["upload_id"]}]


@pytest.mark.parametrize(("sent", "label"), [
    ("../../etc/passwd", "passwd"), ("C:\\Users\\kari\\tall.xlsx", "tall.xlsx"),
    ("tall\x00\n.csv", "tall.csv"), ("", "opplastet-fil"), (None, "opplastet-fil")])
def test_the_browsers_file_name_is_only_a_label(sent, label):
    assert upload_files.display_name(sent) == label


def test_a_saved_upload_lives_under_a_generated_name_for_its_own_user(tmp_path, monkeypatch):
    monkeypatch.setenv("SLT_UPLOAD_DIR", str(tmp_path))
    saved = upload_files.save(b"innhold", "../../tall.xlsx", "ana")
    assert saved.path.parent == tmp_path and saved.path.name == f"{saved.token}.upload"
    assert upload_files.load(saved.token, "ana").file_name == "tall.xlsx"
    for token, user in ((saved.token, "vera"), ("../" + saved.token[3:], "ana"), (None, "ana")):
        with pytest.raises(upload_files.UploadRefused):
            upload_files.load(token, user)
    upload_files.discard(saved.token, "vera")  # not hers
    assert len(list(tmp_path.iterdir())) == 2
    upload_files.discard(saved.token, "ana")
    assert list(tmp_path.iterdir()) == []


def test_the_decoded_size_is_known_before_decoding():
    import base64

    for raw in (b"", b"a", b"ab", b"abc", b"x" * 1001):
        url = "data:text/csv;base64," + base64.b64encode(raw).decode()
        assert upload_files.encoded_size(url) == len(raw)
        assert upload_files.decode(url) == raw


def test_settings_default_to_public_20_mb_and_a_development_key():
    found = config.load({})
    assert (found.access, found.max_upload_mb, found.production) == ("public", 20, False)
    assert found.development_key


@pytest.mark.parametrize(("environ", "message"), [
    ({"SLT_ENV": "production"}, "SLT_SECRET_KEY mangler"),
    ({"SLT_ENV": "production", "SLT_SECRET_KEY": "kort"}, "minst 32 tegn"),
    ({"SLT_ACCESS": "alle"}, "bruk public eller login"),
    ({"SLT_MAX_UPLOAD_MB": "mye"}, "er ikke et tall"),
    ({"SLT_MAX_UPLOAD_MB": "0"}, "større enn 0"),
    ({"SLT_ENV": "prod"}, "bruk development eller production")])
def test_unusable_settings_are_refused_in_norwegian(environ, message):
    with pytest.raises(config.ConfigError, match=message):
        config.load(environ)


def test_production_with_a_long_key_gives_secure_settings():
    found = config.load({"SLT_ENV": "production", "SLT_SECRET_KEY": "k" * 40,
                         "SLT_ACCESS": "login", "SLT_MAX_UPLOAD_MB": "2,5"})
    assert found.production and found.access == "login" and not found.development_key
    assert found.max_upload_bytes == int(2.5 * 2**20)


def test_a_survey_file_shows_its_changed_shares_old_to_new_and_its_new_periods(db, tmp_path):
    """Not only police files: a survey export compared with the stored one, figure by figure."""
    original = SAMPLE / "trivsel_10_klasse_treaarig.csv"
    ingest_any(original, db)
    lines = original.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("Hele landet,2014/15-2016/17,") and lines[1].count(",0.856,") == 1
    newer = [lines[0], lines[1].replace(",0.856,", ",0.9,"), *lines[2:],
             lines[1].replace("2014/15-2016/17", "2024/25-2026/27")
                     .replace("2016-01-01", "2026-01-01").replace("2016/17", "2026/27")]
    edited = tmp_path / "trivsel_ny.csv"
    edited.write_text("\n".join(newer) + "\n", encoding="utf-8")
    before = snapshot(db)

    outcome = ingest_any(edited, db, dry_run=True)

    assert snapshot(db) == before  # a preview stores nothing
    assert [(c["region"], c["year"], c["old"], c["new"]) for c in outcome.changes] == \
        [("Hele landet", "2014/15-2016/17", pytest.approx(85.6), pytest.approx(90.0))]
    [(what, catalogued)] = query(db, "SELECT indicator, label FROM indicators WHERE indicator "
                                     "IN (SELECT indicator FROM ungdata_facts)")
    assert outcome.changes[0]["what"].startswith(f"{catalogued}, ")  # its name, not «{what}»
    new = [(s["region"], s["year"]) for s in outcome.slices if s["status"] == "new"]
    assert new == [("Hele landet", "2024/25-2026/27")]
    text = text_of(upload_preview.preview(outcome, edited.name, "fhi"))
    assert "85,6\u00a0%" in text and "90,0\u00a0%" in text
    assert "Erstattes: Hele landet 2014/15-2016/17" in text
    assert "Nye år: Hele landet 2024/25-2026/27" in text


@pytest.mark.parametrize("path", [TEST_DATA / "population" / "statbank_07459_long_bom.csv",
                                  TEST_DATA / "ssb" / "ssb_08487_excerpt.csv"])
def test_a_file_already_stored_lists_no_changes_and_a_new_one_only_new_years(db, path):
    first = ingest_any(path, db, dry_run=True)
    assert first.changes == [] and first.slices
    assert {s["status"] for s in first.slices} == {"new"}
    ingest_any(path, db)
    again = ingest_any(path, db, dry_run=True)
    assert again.status == "unchanged" and again.changes == []
    assert {s["status"] for s in again.slices} == {"unchanged"}


def test_messages_write_large_counts_with_a_thousands_space(db):
    from pathlib import Path

    total = Path("data/reference/population/pop_municip_total_b2024_2015-2026.csv")
    outcome = ingest_any(Path(__file__).parents[2] / total, db)
    assert outcome.message.startswith("12\u00a0852 tall for befolkning: 357 regioner")


def test_a_refusal_that_names_a_command_option_says_what_to_do_on_the_page(tmp_path, db):
    """«Oppgi regionen med --region NAVN» means the page's region list on the page."""
    path = tmp_path / "uten_region.csv"
    path.write_text("Krimtype;2021;2022\nVold;5;6\nVinning;3;4\n", encoding="utf-8")
    with pytest.raises(IngestError) as refused:
        ingest_any(path, db, dry_run=True)
    lines = upload_preview.with_page_hints(refused.value.lines())
    assert "--region" in lines[0]
    assert lines[1:] == ["På denne siden: velg regionen under «Region (bare hvis filen ikke "
                         "sier det selv)»; filen sjekkes igjen med en gang."]
    assert upload_preview.with_page_hints(["alt i orden"]) == ["alt i orden"]


def test_a_file_that_changes_nothing_still_says_what_it_left_out(tmp_path, db):
    """A file already stored whose «Endring» column was left out: the preview says so."""
    import openpyxl

    book = openpyxl.load_workbook(SEED_WORKBOOK)
    book.worksheets[0]["H5"] = "Endring 2022-2023"
    book.save(path := tmp_path / "endring.xlsx")
    ingest_any(SEED_WORKBOOK, db)
    outcome = ingest_any(path, db, dry_run=True)
    assert outcome.status == "unchanged"
    shown = text_of(upload_preview.preview(outcome, "endring.xlsx", "u18"))
    assert "Alle tallene i filen er allerede lagret." in shown
    assert "Merk:" in shown and "hoppet over kolonnen «Endring 2022-2023»" in shown
