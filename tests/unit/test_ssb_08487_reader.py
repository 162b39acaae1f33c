"""The 08487 reader's pure parts: which headers are 08487, what a value column's header means."""

import pytest

from etl.dispatch import classify
from etl.readers.ssb import column_meaning, is_08487_header, period_label
from tests.integration.test_ssb_08487_layouts import LAYOUTS


@pytest.mark.parametrize("text, label", [
    ("2023-2024", "2023-2024"), ("2023–2024", "2023-2024"), ("2023/24", "2023-2024"),
    ("Anmeldte lovbrudd 2022 - 2023", "2022-2023"), ("2024", "2024"), ("Porsgrunn", None)])
def test_period_spellings_become_one_label(text, label):
    assert period_label(text) == label


def test_a_value_header_gives_its_period_and_statistic_variable():
    assert column_meaning("Anmeldte lovbrudd per 1 000 innbyggere, årlig gjennomsnitt "
                          "2023-2024") == {"period": "2023-2024", "measure": "per_1000"}
    assert column_meaning("eiendomstyveri") == {"group": "Eiendomstyveri"}
    assert column_meaning("Alder") is None


@pytest.mark.parametrize("header", [
    ["Region", "År", "Lovbruddsgruppe", "Alder", "Kjønn", "Antall"],  # police long table
    ["Kommune", "År", "Lovbruddsgruppe", "Antall"],  # police long table, one count column
    ["Region", "Year", "Offence group", "Offences"],  # the same in English
    ["Kommune", "Lovbruddsgruppe", "2022", "2023"],  # police years as columns
    ["region", "kjønn", "alder", "Personer 2024"],  # population
])
def test_police_and_population_headers_are_not_taken_for_08487(header):
    assert not is_08487_header(header)


@pytest.mark.parametrize("name, kind", [
    ("statbank_nb_periods_as_columns.csv", "ssb_08487"),
    ("statbank_en_periods_as_rows.csv", "ssb_08487"),
    ("statbank_nb_grouped.xlsx", "ssb_08487"),
    ("statbank_nb_split_header.xlsx", "ssb_08487"),
    ("pxweb_codes_and_texts.csv", "ssb_08487"),
    ("ssb_08487_jsonstat2.json", "ssb_08487"),
    ("statbank_unseen_headers.csv", "ssb_08487"),
])
def test_each_08487_layout_is_recognised_from_its_content(name, kind, tmp_path):
    LAYOUTS[name](tmp_path / name)
    renamed = tmp_path / "fil.dat"
    renamed.write_bytes((tmp_path / name).read_bytes())
    assert classify(renamed, "fil.dat") == kind


def test_a_jsonstat_value_that_is_no_number_is_named_by_its_categories(tmp_path):
    import json

    from etl.errors import IngestError
    from etl.readers.ssb import read_08487_json

    one = lambda code, label: {"category": {"index": {code: 0}, "label": {code: label}}}  # noqa
    doc = {"version": "2.0", "class": "dataset", "id": ["Region", "LovbruddKrim",
                                                        "ContentsCode", "Tid"],
           "size": [1, 1, 1, 1], "value": ["mange"],
           "dimension": {"Region": one("4001", "Porsgrunn"),
                         "LovbruddKrim": one("00", "Alle lovbruddsgrupper"),
                         "ContentsCode": one("L1", "Anmeldte lovbrudd, årlig gjennomsnitt"),
                         "Tid": one("2023-2024", "2023-2024")}}
    path = tmp_path / "f.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(IngestError, match="f.json: Porsgrunn, Alle lovbruddsgrupper, Anmeldte "
                                          "lovbrudd, årlig gjennomsnitt, 2023-2024: «mange» er "
                                          "ikke et tall"):
        read_08487_json(path, "f.json")
