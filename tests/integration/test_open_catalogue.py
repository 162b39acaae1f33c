"""The open indicator catalogue, units, skipped rows and population 0, in a real store."""

import pytest

from etl.catalogue import Entry, set_entry
from etl.dispatch import ingest_any
from etl.errors import IngestError
from etl.rollback import RollbackError, rollback
from tests.conftest import REPO, TEST_DATA, query, snapshot

EXPORTS, UNG = TEST_DATA / "exports", TEST_DATA / "ungdata"
FORNOYD = EXPORTS / "fhi_kommunehelsa_fornoyd_livet.csv"


def new_indicator(db):
    [(indicator,)] = query(db, "SELECT indicator FROM indicators WHERE NOT catalogued")
    return indicator


def test_an_unknown_indicator_lands_as_new_and_is_in_the_ungdata_view_at_once(db):
    outcome = ingest_any(FORNOYD, db)
    assert outcome.status == "accepted" and "ikke er katalogisert" in outcome.message
    assert "lagret som egne regioner, ikke som kommuner: Hele landet, Telemark" in (
        outcome.message)
    indicator = new_indicator(db)
    assert query(db, "SELECT label, theme, higher_is_better, crime_types, unit, catalogued, "
                     "upload_id FROM indicators WHERE indicator = ?", [indicator]) == [
        ("Fornøyd med livet – Spørsmål: Svært eller litt fornøyd", "ikke katalogisert", None,
         [], "prosent", False, outcome.upload_id)]
    assert query(db, "SELECT percent, suppressed FROM ungdata WHERE region = 'Porsgrunn' AND "
                     "indicator = ? AND school_level = 'Ungdomsskole' ORDER BY period",
                 [indicator]) == [(None, True), (66.5, False), (65.0, False)]


def test_a_preview_of_a_new_indicator_stores_nothing(db):
    ingest_any(UNG / "tidy_porsgrunn.csv", db)
    before = snapshot(db, skip=())
    outcome = ingest_any(FORNOYD, db, dry_run=True)
    assert "ikke er katalogisert" in outcome.message and outcome.upload_id is None
    assert snapshot(db, skip=()) == before


def test_a_non_percent_figure_keeps_its_unit_outside_the_percent_view(db):
    ingest_any(EXPORTS / "fhi_kommunehelsa_skader_per_100000.csv", db)
    assert query(db, "SELECT region, value, unit FROM indicator_values WHERE NOT suppressed "
                     "ORDER BY 1, 2") == [("Hele landet", 1210.0, "per 100 000"),
                                          ("Hele landet", 1234.5, "per 100 000"),
                                          ("Skien", 1402.0, "per 100 000")]
    assert query(db, "SELECT count(*) FROM ungdata") == [(0,)]


def test_a_known_indicator_in_another_unit_is_refused_naming_both_units(db):
    with pytest.raises(IngestError, match="«prosent», men filen gir den som «per 1 000»"):
        ingest_any(EXPORTS / "fhi_kommunehelsa_unit_clash.csv", db)
    assert query(db, "SELECT count(*) FROM ungdata_facts") == [(0,)]


def test_completing_an_entry_is_an_upload_that_can_be_undone(db):
    first = ingest_any(FORNOYD, db)
    indicator = new_indicator(db)
    edit = set_entry(db, indicator, Entry(label="Fornøyd med livet", theme="psykisk helse",
                                          higher_is_better=True, crime_types=("Vold",)),
                     user="kari")
    assert query(db, "SELECT label, theme, higher_is_better, crime_types, catalogued FROM "
                     "indicators WHERE indicator = ?", [indicator]) == [
        ("Fornøyd med livet", "psykisk helse", True, ["Vold"], True)]
    assert query(db, "SELECT source, uploaded_by, outcome FROM uploads WHERE upload_id = ?",
                 [edit]) == [("catalogue", "kari", "accepted")]
    with pytest.raises(RollbackError, match=f"erstattet av opplasting {edit}"):
        rollback(db, first.upload_id)
    rollback(db, edit)
    assert query(db, "SELECT theme, catalogued FROM indicators WHERE indicator = ?",
                 [indicator]) == [("ikke katalogisert", False)]
    rollback(db, first.upload_id)
    assert query(db, "SELECT count(*) FROM indicators WHERE indicator = ?", [indicator]) == [(0,)]


def test_a_reference_entry_can_be_changed_and_the_file_does_not_overwrite_it(db):
    ingest_any(UNG / "tidy_porsgrunn.csv", db)
    edit = set_entry(db, "naskeri", Entry(crime_types=("Vinning", "Skadeverk")))
    ingest_any(EXPORTS / "ungdata_nokkeltall_bamble_region_years.csv", db)  # any later write
    assert query(db, "SELECT crime_types, upload_id FROM indicators WHERE indicator = "
                     "'naskeri'") == [(["Vinning", "Skadeverk"], edit)]
    rollback(db, edit)
    assert query(db, "SELECT crime_types, upload_id FROM indicators WHERE indicator = "
                     "'naskeri'") == [(["Vinning"], None)]


@pytest.mark.parametrize("entry, message", [
    (Entry(crime_types=("Tyveri",)), "ukjent krimtype: Tyveri"),
    (Entry(label=" "), "navnet kan ikke være tomt")])
def test_an_invalid_entry_is_refused_and_stores_nothing(db, entry, message):
    ingest_any(UNG / "tidy_porsgrunn.csv", db)
    before = snapshot(db, skip=())
    with pytest.raises(IngestError, match=message):
        set_entry(db, "naskeri", entry)
    with pytest.raises(IngestError, match="finnes ikke i katalogen"):
        set_entry(db, "finnes_ikke", Entry(theme="rus"))
    assert snapshot(db, skip=()) == before


def test_key_figures_with_region_year_headers_land_with_a_new_indicator(db):
    ingest_any(EXPORTS / "ungdata_nokkeltall_bamble_region_years.csv", db)
    assert query(db, "SELECT region, period, percent FROM ungdata WHERE indicator = "
                     "'fornoyd_med_lokalmiljoet' ORDER BY 1, 2") == [
        ("Bamble", "2020", 70.0), ("Bamble", "2023", None), ("Hele landet", "2023", 68.0)]
    assert query(db, "SELECT label, catalogued FROM indicators WHERE indicator = "
                     "'fornoyd_med_lokalmiljoet'") == [("Fornøyd med lokalmiljøet", False)]


def test_english_statbank_skips_the_shelf_and_unknown_and_never_stores_population_0(db):
    outcome = ingest_any(EXPORTS / "statbank_07459_english_shelf.csv", db)
    assert "«K-23 Continental shelf» (kontinentalsokkelen" in outcome.message
    assert "«K-Rest Divided municipalities and unknown» (uoppgitt kommune" in outcome.message
    assert "0 personer" in outcome.message
    assert query(db, "SELECT region_code, year, gender, persons FROM population_facts "
                     "ORDER BY ALL") == [
        ("K4001", 2019, "Gutter", 205), ("K4001", 2019, "Jenter", 195),
        ("K4001", 2019, "Totalt", 400), ("K4001", 2020, "Gutter", 210),
        ("K4001", 2020, "Jenter", 200), ("K4001", 2020, "Totalt", 410),
        ("K4010", 2019, "Gutter", 12), ("K4010", 2019, "Jenter", 0),  # a real 0 in a kommune
        ("K4010", 2019, "Totalt", 12), ("K4010", 2020, "Gutter", 0),  # that has people
        ("K4010", 2020, "Jenter", 11), ("K4010", 2020, "Totalt", 11)]
    assert query(db, "SELECT count(*) FROM population_facts WHERE persons = 0 AND gender = "
                     "'Totalt'") == [(0,)]


def test_fylker_and_the_country_beside_kommuner_are_skipped_and_said(db):
    outcome = ingest_any(EXPORTS / "statbank_07459_norsk.xlsx", db)
    assert "hoppet over 2 samleregioner (Hele landet, Telemark)" in outcome.message
    assert query(db, "SELECT region_code, persons FROM population_facts WHERE gender = "
                     "'Gutter' ORDER BY 1") == [("K4001", 220), ("K4003", 310)]


@pytest.mark.parametrize("name, persons", [("pxweb_07459_codes_and_texts.csv", 220),
                                           ("ssb_07459_jsonstat1.json", None)])
def test_pxweb_and_jsonstat1_population_is_stored(db, name, persons):
    ingest_any(EXPORTS / name, db)
    stored = query(db, "SELECT persons FROM population_facts WHERE region_code = 'K4001' AND "
                       "gender = 'Gutter'")
    assert stored == ([(persons,)] if persons else [])
    assert query(db, "SELECT count(*) > 0 FROM population_facts WHERE region_code = 'K4003'"
                 ) == [(True,)]


def test_a_rate_on_a_population_of_0_is_never_computed(db, tmp_path):
    population = tmp_path / "befolkning.csv"  # all ages; Siljan filled with 0 by SSB
    population.write_text('07459: Befolkning\n\n"region";"kjønn";"Personer 2024"\n'
                          '"K-0301 Oslo";"Begge kjønn";"717710"\n'
                          '"K-4010 Siljan";"Begge kjønn";"0"\n', encoding="utf-8")
    outcome = ingest_any(population, db)
    assert "K-4010 Siljan 2024" in outcome.message and "befolkning mangler" in outcome.message
    ingest_any(TEST_DATA / "ssb" / "ssb_08487_excerpt.csv", db)
    assert query(db, "SELECT count(*) FROM population_facts WHERE region_code = 'K4010'") == [
        (0,)]
    assert query(db, "SELECT region, per_1000 FROM ssb_08487 WHERE offence_group = "
                     "'Alle lovbruddsgrupper' AND region IN ('Oslo', 'Siljan') ORDER BY 1") == [
        ("Oslo", 97.8), ("Siljan", None)]


def test_slt_katalog_lists_new_indicators_and_completes_an_entry(db, slt):
    ingest_any(FORNOYD, db)
    indicator = new_indicator(db)
    listed = slt("katalog", "vis", "--ny", "--db", db)
    assert listed.returncode == 0, listed.stderr
    assert f"{indicator}  [ikke katalogisert]" in listed.stdout and "enhet prosent" in listed.stdout
    done = slt("katalog", "sett", indicator, "--navn", "Fornøyd med livet", "--tema",
               "psykisk helse", "--hoyere-er-bedre", "--krimtyper", "Vold;Narkotika",
               "--user", "kari", "--db", db)
    assert done.returncode == 0, done.stderr
    assert query(db, "SELECT label, higher_is_better, crime_types, catalogued FROM indicators "
                     "WHERE indicator = ?", [indicator]) == [
        ("Fornøyd med livet", True, ["Vold", "Narkotika"], True)]
    refused = slt("katalog", "sett", indicator, "--krimtyper", "Tyveri", "--db", db)
    assert refused.returncode == 1 and "ukjent krimtype: Tyveri" in refused.stderr
    assert slt("katalog", "vis", "--ny", "--db", db).stdout.strip() == (
        "ingen indikatorer som mangler katalogisering")


def test_the_report_uses_a_new_indicator_without_calling_it_better_or_worse(db):
    from report.build import build_report
    from report.writers import write

    ingest_any(REPO / "data" / "sample" / "grenland_u18_2019-2024.xlsx", db)
    ingest_any(EXPORTS / "fhi_kommunehelsa_gammel_smertestillende.csv", db)
    out = db.with_name("porsgrunn.md")
    write(build_report(db, "Porsgrunn"), "md", out)
    text = out.read_text(encoding="utf-8")
    assert "Bruk av reseptfrie smertestillende" in text
    assert "en reell forskjell, høyere enn landet" in text


def test_an_upload_whose_new_indicator_a_later_upload_uses_is_undone_after_that_one(db, tmp_path):
    first = ingest_any(FORNOYD, db)
    later = tmp_path / "senere.csv"  # the same indicator, a new period only
    head = FORNOYD.read_text(encoding="utf-8-sig").splitlines()[:7]
    later.write_text("\n".join([*head, ';;"2023-2025"', '"Geografi";"Trinn";"andel (prosent)"',
                                '"Porsgrunn";"Ungdomsskole";"64,0"']) + "\n", encoding="utf-8")
    second = ingest_any(later, db)
    with pytest.raises(RollbackError, match=f"tallene i opplasting {second.upload_id} bruker"):
        rollback(db, first.upload_id)
    rollback(db, second.upload_id)
    rollback(db, first.upload_id)
    assert query(db, "SELECT count(*) FROM indicators WHERE NOT catalogued") == [(0,)]


def test_a_store_from_before_the_open_catalogue_is_migrated_on_the_next_write(db):
    import duckdb

    ingest_any(UNG / "tidy_porsgrunn.csv", db)
    with duckdb.connect(str(db)) as con:  # back to the session-4 shape
        for statement in (
                "DROP VIEW ungdata", "DROP VIEW indicator_values", "DROP TABLE indicators",
                "DROP TABLE indicators_history",
                "CREATE TABLE indicators (indicator VARCHAR NOT NULL, label VARCHAR NOT NULL, "
                "theme VARCHAR NOT NULL, higher_is_better BOOLEAN NOT NULL, crime_types "
                "VARCHAR[] NOT NULL, survey VARCHAR)",
                "INSERT INTO indicators VALUES ('naskeri', 'Naskeri', 'rus', false, [], NULL)",
                "ALTER TABLE ungdata_facts RENAME COLUMN value TO percent",
                "ALTER TABLE ungdata_facts_history RENAME COLUMN value TO percent",
                "CREATE VIEW ungdata AS SELECT r.name AS region, u.period, u.year, "
                "u.school_level, u.grade, u.gender, u.indicator, u.percent, u.respondents, "
                "u.source, u.suppressed, u.region_code, u.upload_id FROM ungdata_facts u "
                "JOIN regions r USING (region_code)"):
            con.execute(statement)
    ingest_any(EXPORTS / "ungdata_nokkeltall_bamble_region_years.csv", db)
    assert query(db, "SELECT region, percent FROM ungdata WHERE indicator = 'naskeri'") == [
        ("Porsgrunn", None)]
    assert query(db, "SELECT theme, unit, catalogued FROM indicators WHERE indicator = "
                     "'naskeri'") == [("kriminalitet og vold", "prosent", True)]


def test_an_fhi_file_without_title_or_categories_is_named_after_the_file(db, tmp_path):
    # Two FHI API downloads that say neither the indicator nor a title: two indicators, each
    # named after its file, not one «Ny indikator» whose second file replaces the first.
    for name, value in (("ensomhet_ungdom_2024.csv", "12,5"), ("mobbing-ungdom.csv", "8,1")):
        path = tmp_path / name
        path.write_text("geo;aar;kjonn;measure_type;value;spvflagg\n"
                        f"4001;2022_2024;0;andel (prosent);{value};0\n", encoding="utf-8")
        assert ingest_any(path, db).status == "accepted"
    assert query(db, "SELECT i.label, f.value FROM indicators i JOIN ungdata_facts f "
                     "USING (indicator) ORDER BY i.label") == [
        ("Ensomhet ungdom 2024", 12.5), ("Mobbing ungdom", 8.1)]


def test_a_sum_row_among_the_regions_of_a_statbank_file_is_skipped_and_said(db, tmp_path):
    source = (TEST_DATA / "population" / "statbank_07459_long_bom.csv").read_text("utf-8-sig")
    path = tmp_path / "befolkning_med_sum.csv"
    path.write_text(source.rstrip("\n") + '\n"I alt";"Males";"15 years";"Persons";"2022";"99"\n',
                    encoding="utf-8")
    outcome = ingest_any(path, db)
    assert "hoppet over «I alt» (summen av regionene i filen, 1 rad)" in outcome.message
    assert query(db, "SELECT count(*) FROM population_facts WHERE persons = 99") == [(0,)]
    assert query(db, "SELECT count(*) FROM population_facts") != [(0,)]


def test_a_tidy_table_with_a_year_column_lands_on_the_catalogued_indicator(db, tmp_path):
    """``Indikator;Kommune;År;Prosent`` is read by the FHI reader (its year column); an
    indicator it names by a catalogue label or alias is that indicator, not a new one beside
    it with the same name (two series on the Ungdata page)."""
    path = tmp_path / "ungdata.csv"
    path.write_text("Indikator;Kommune;År;Prosent\nTrives på skolen;Skien;2024;83,5\n"
                    "Skoletrivsel;Porsgrunn;2024;81\n", encoding="utf-8")
    outcome = ingest_any(path, db)
    assert outcome.status == "accepted" and "katalogisert" not in outcome.message
    assert query(db, "SELECT region, indicator, percent FROM ungdata ORDER BY 1") == [
        ("Porsgrunn", "trives_skolen", 81.0), ("Skien", "trives_skolen", 83.5)]
    assert query(db, "SELECT count(*) FROM indicators WHERE NOT catalogued") == [(0,)]


def test_key_figures_with_a_column_per_gender_land_by_gender(db, tmp_path):
    """Ungdata's reports give girls and boys side by side: «Jenter 2024», «Gutter 2024» are
    genders with a year, not regions named Jenter and Gutter."""
    path = tmp_path / "nokkeltall.csv"
    path.write_text("Kommune: Skien\n\nIndikator;Jenter 2024;Gutter 2024;Begge kjønn 2024\n"
                    "Har minst én god venn;86;88;87\n", encoding="utf-8")
    outcome = ingest_any(path, db)
    assert outcome.status == "accepted", outcome.message
    assert query(db, "SELECT region, indicator, period, gender, percent FROM ungdata "
                     "ORDER BY gender") == [
        ("Skien", "god_venn", "2024", "Gutter", 88.0),
        ("Skien", "god_venn", "2024", "Jenter", 86.0),
        ("Skien", "god_venn", "2024", "Totalt", 87.0)]


@pytest.mark.parametrize(("values", "stored"), [
    (("0", "1"), [0.0, 1.0]),  # whole percents of a rare behaviour, not 0 % and 100 %
    (("0,5 %", "0,8 %"), [0.5, 0.8]),  # written with a percent sign
    (("0,5", "0,8"), [50.0, 80.0]),  # shares as fractions (FHI writes 0.856): ×100
])
def test_small_percentages_are_never_taken_for_fractions(db, tmp_path, values, stored):
    """A file whose every share is ≤ 1 was multiplied by 100 as fractions: a kommune's 0 % and
    1 % of pupils who used other drugs became 0 % and 100 %."""
    path = tmp_path / "nokkeltall.csv"
    path.write_text("Kommune: Skien\n\nIndikator;2021;2024\n"
                    f"Har brukt cannabis siste år;{values[0]};{values[1]}\n", encoding="utf-8")
    assert ingest_any(path, db).status == "accepted"
    assert [p for (p,) in query(db, "SELECT percent FROM ungdata ORDER BY period")] == stored
