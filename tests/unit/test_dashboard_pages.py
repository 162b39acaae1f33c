"""Pages and their callbacks run in-process (no browser): layouts, deep links, empty states."""

from __future__ import annotations

import importlib
import re

import plotly.graph_objects as go
import pytest
from dash import html

from dashboard import queries

pytestmark = pytest.mark.usefixtures("pages")  # tests/unit/conftest.py: app on the fixture store


def page(name: str):
    return importlib.import_module(f"dashboard.pages.{name}")


def find(component, component_id):
    """The component with ``component_id`` anywhere in a layout tree, or None."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            found = find(child, component_id)
            if found is not None:
                return found
    return None


def texts(component) -> str:
    """All text in a component tree, joined (what a reader sees, without markup); a table's
    rows and cells may be elements as Dash sends them (``tables.element``)."""
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(texts(c) for c in component)
    if isinstance(component, dict):
        return texts(component.get("props", {}).get("children"))
    children = getattr(component, "children", None)
    return "" if children is None else texts(children)


def test_the_app_serves_lang_nb_and_the_local_bootstrap(app):
    client = app.server.test_client()
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="nb">' in html
    assert "/assets/bootstrap.min.css" in html
    # Nothing is fetched from another host (a CDN).  (Not «"cdn" not in html»: the page's
    # random 24-character token contains those letters now and then.)
    assert re.findall(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', html) == []


@pytest.mark.parametrize("name", ["oversikt", "ungdomskriminalitet", "ungdata", "sammenlign",
                                  "om_dataene"])
def test_every_page_builds_with_default_choices(app, name):
    layout = page(name).layout()
    assert layout is not None


def test_a_deep_link_sets_the_global_controls(app):
    layout = page("ungdomskriminalitet").layout(region="Grenland", fra="2020", til="2022",
                                                krimtype="Vinning,Vold", maal="rate")
    assert find(layout, "global-region").value == "Grenland"
    assert find(layout, "global-years").value == [2020, 2022]
    assert find(layout, "krim-types").value == ["Vinning", "Vold"]
    assert find(layout, "krim-measure").value == "rate"


def test_nonsense_in_the_url_falls_back_to_defaults(app):
    layout = page("oversikt").layout(region="Atlantis", fra="abc", til="3000")
    assert find(layout, "global-region").value == "Grenland"
    assert find(layout, "global-years").value == [2019, 2024]


def test_oversikt_headline_compares_the_last_two_full_years(app):
    headline, types, title, fig, style, empty, note, data, _table, _tools, summary, _config = \
        page("oversikt")._update("Grenland", [2019, 2024])
    # The report's own sentence (analysis.findings), naming the region.
    assert title == ("U18-forhold i alt i Grenland: 622 i 2023 mot 623 i 2022, "
                     "innenfor tilfeldig variasjon")
    assert "Innenfor tilfeldig variasjon" in texts(headline)
    # Each crime type's comparison as the report ranks it (here against the three years).
    assert "Vold: 193 i 2023 mot et snitt på 121 i 2020–2022" in texts(types)
    # The card does not promise types that stand out when none changed beyond chance, and says
    # against what.
    assert ("Ingen krimtype endret seg i 2023 fra året før eller mot snittet av de tre årene "
            "før mer enn tilfeldig variasjon") in texts(types)
    assert "2024 (pr. 01.08) er et delår" in note
    assert "2024 (pr. 01.08);345" in data["csv"]
    assert style == {} and empty is None
    assert summary.startswith("Diagram over antall forhold. Alle krimtyper: 2019 444, 2020 389")


def test_a_region_without_police_figures_gets_an_empty_state_not_a_blank_chart(app):
    out = page("oversikt")._update("Skien", [2019, 2024])
    headline, types = texts(out[0]), texts(out[1])
    title, fig, style, empty = out[2:6]
    assert style == {"display": "none"}
    assert "Ingen politi-tall for Skien" in headline and "slt ingest" in headline
    assert "Skien er med i " in headline and "Grenland" in headline  # the group with figures
    # said in full once: the chart card and the crime-type box only point to the group
    card = " ".join(texts(empty.children).split())
    assert card == "Ingen politi-tall for Skien i 2019–2024. Se Grenland , som har tall."
    assert "Grenland" in str(empty.to_plotly_json()) and "slt ingest" not in card
    assert types == "Ingen tall å sammenligne."


def test_rates_leave_out_the_partial_year_and_say_so(app):
    title, fig, _s, _e, note, data, _t, _tools, _summary, _config = page(
        "ungdomskriminalitet")._types("Grenland", [2019, 2024], ["Vinning"], "rate", "linjer")
    assert "Vinning;2022;28,4375" in data["csv"]
    assert "2024" not in data["csv"]
    assert "Delår vises ikke som rate" in note


def test_gender_chart_title_states_the_girls_share(app):
    title = page("ungdomskriminalitet")._genders("Grenland", [2019, 2024], "antall")[0]
    assert title == "Jenter sto for 24 % av forholdene i 2023"  # 152 of 622


def test_ungdata_region_next_to_fylke_and_country(app):
    title, fig, *_rest = page("ungdata")._trend("Porsgrunn", "naskeri", "")
    assert {t.name for t in go.Figure(fig).data} == {"Porsgrunn", "Telemark", "Hele landet"}
    assert title == ("Har nasket i butikk siste år: 26,5\u00a0% i Porsgrunn (2024) "
                     "mot 20,0\u00a0% i hele landet")


def test_ungdata_school_level_choice_filters_the_series(app):
    ungdata = page("ungdata")
    (level,) = ungdata._levels("Porsgrunn", "naskeri")
    title, fig, _style, empty, *_rest = ungdata._trend("Porsgrunn", "naskeri", level)
    assert empty is None and {t.name for t in go.Figure(fig).data} == {"Porsgrunn", "Telemark",
                                                           "Hele landet"}
    _title, _fig, _style, empty, *_rest = ungdata._trend("Porsgrunn", "naskeri",
                                                         "Videregående")
    assert empty is not None  # no figures for that level: an empty state, not a blank chart
    assert ungdata._level_choice(["Ungdomsskole"], "")["disabled"] is True
    several = ungdata._level_choice(["Ungdomsskole", "Videregående"], "Videregående")
    assert several["value"] == "Videregående" and several["options"][0]["value"] == ""


def test_ungdata_links_to_the_matching_police_crime_type(app):
    (button,) = page("ungdata")._police_links("Porsgrunn", "naskeri")
    assert "krimtype=Vinning" in button.href and "region=Porsgrunn" in button.href


def test_map_without_context_figures_says_what_to_load(app):
    out = page("sammenlign")._map("Grenland", None)
    assert "08487" in texts(out[3].children)
    assert "Last opp" in texts(out[3].children)


def test_compare_rates_name_regions_without_rates(app):
    out = page("sammenlign")._rates("Grenland", [2019, 2024], ["Skien"], "Totalt")
    assert "Uten rate: Skien" in out[4]


def test_compare_rates_of_a_kommune_without_police_figures_name_the_group_that_has_them(app):
    out = page("sammenlign")._rates("Skien", [2019, 2024], [], "Totalt")
    text = texts(out[3].children)
    assert "Ingen politi-tall for Skien i 2019–2024" in text and "Skien er med i" in text
    assert "/sammenlign?region=Grenland" in str(out[3].to_plotly_json())
    # with a region that has figures chosen beside it, the chart shows and names the one without
    out = page("sammenlign")._rates("Skien", [2019, 2024], ["Grenland"], "Totalt")
    assert out[3] is None and "Uten rate: Skien" in out[4]


def test_om_dataene_lists_the_uploads_and_which_kommuner_a_group_sums(app):
    layout = str(page("om_dataene").layout().to_plotly_json())
    assert "grenland_u18_2019-2024.xlsx" in layout
    assert "Regiongruppe: Bamble, Porsgrunn, Siljan og Skien." in layout


def test_pages_show_empty_states_when_the_store_does_not_exist(app, tmp_path):
    queries.configure(tmp_path / "none.duckdb")
    for name in ["oversikt", "ungdomskriminalitet", "ungdata", "sammenlign", "om_dataene"]:
        assert page(name).layout() is not None
    out = page("oversikt")._update(queries.NATION, [2020, 2025])
    assert "slt ingest" in str(out[0])


def test_freshness_names_the_newest_file_of_every_source(app):
    text = str(page("oversikt")._freshness().to_plotly_json())
    assert "Politiet (U18): " in text and "grenland_u18_2019-2024.xlsx" in text
    assert "Ungdata / Kommunehelsa: " in text and "Befolkning (SSB 07459): " in text


def test_partial_year_is_compared_with_the_same_period_last_year(app, tmp_path):
    from tests.unit.test_dashboard_queries import _store_with_last_years_partial

    queries.configure(_store_with_last_years_partial(tmp_path))
    title, fig, _s, _e, _n, data, _t, _tools, _summary, _config = page(
        "ungdomskriminalitet")._same_period(
        "Grenland", [2019, 2024])
    # +44 %, but Grenland's totals vary far beyond Poisson (φ ≈ 5,7 from 2019-2023)
    assert title == ("2024 pr. 01.08: 345 forhold mot 240 samme periode i 2023 – "
                     "innenfor tilfeldig variasjon")
    assert "2023 pr. 01.08;Vinning;100" in data["csv"]
    assert "2024 pr. 01.08;Vinning;73" in data["csv"]
    assert "2023 pr. 01.08;Annen;0" in data["csv"]  # blank in a period with a total: none


def test_without_last_years_period_the_card_says_what_to_load(app):
    out = page("ungdomskriminalitet")._same_period("Grenland", [2019, 2024])
    assert "trengs politiets tall for 2023 pr. 01.08" in texts(out[3].children)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from etl.sample import build_sample

    db = tmp_path_factory.mktemp("sample") / "slt.duckdb"
    build_sample(db)
    return db


@pytest.mark.parametrize("region", ["Grenland", "Porsgrunn", "Skien"])
def test_the_bundled_sample_gives_real_figures_for_the_three_seed_regions(app, sample, region):
    queries.configure(sample)
    years = [2019, 2024]
    outputs = [page("sammenlign")._map(region, "ssb:Alle lovbruddsgrupper")]
    if region == "Grenland":  # the police figures are Grenland's
        outputs += [page("oversikt")._update(region, years)[2:],
                    page("ungdomskriminalitet")._types(region, years, [], "antall", "linjer"),
                    page("ungdomskriminalitet")._ages(region, years),
                    page("ungdomskriminalitet")._genders(region, years, "rate"),
                    page("sammenlign")._rates(region, years, [], "Totalt")]
    else:  # the survey figures are the Telemark kommuner's
        for indicator in ["fornoyd_helse", "trivsel_elevundersokelsen"]:
            outputs.append(page("ungdata")._trend(region, indicator, ""))
    for title, fig, style, empty, *_rest in outputs:
        assert empty is None and style == {}, f"empty state: {title}"
        data = fig["data"] if isinstance(fig, dict) else fig.data
        assert len(data) > 0, title


def test_oversikt_lists_survey_indicators_that_differ_from_the_country(app):
    listing = html.Div(page("oversikt")._survey("Porsgrunn", [2019, 2024]))
    # The report's sentence (analysis.survey): no respondents given, so no verdict, and the
    # reason said once under the list, not after every figure.
    assert ("Har nasket i butikk siste år (2024, Ungdomsskolen): 26,5\u00a0% i Porsgrunn mot "
            "20,0\u00a0% i landet.") in texts(listing)
    assert texts(listing).count("Antall som svarte er ikke oppgitt") == 1
    link = str(listing.to_plotly_json())
    assert "indikator=naskeri" in link and "region=Porsgrunn" in link



def test_oversikt_shows_a_groups_kommuner_side_by_side_when_it_has_no_survey_figures(app):
    grenland = page("oversikt")._survey("Grenland", [2019, 2024])
    text = " ".join(texts(c) for c in grenland)
    assert "Grenland har ingen Ungdata-tall med landstall for seg selv" in text
    graph = find(html.Div(grenland), "ov-survey-graph")
    names = {n for trace in go.Figure(graph.figure).data for n in trace.y}
    assert "Porsgrunn" in names and queries.NATION in names  # the kommune that has them
    assert "region=Grenland" in str(html.Div(grenland).to_plotly_json())


def test_om_dataene_has_an_accessibility_statement_with_the_kommunes_contact(app, monkeypatch):
    monkeypatch.delenv("SLT_TILGJENGELIGHET_KONTAKT", raising=False)
    plain = str(page("om_dataene").layout().to_plotly_json())
    assert "Tilgjengelighetserklæring" in plain and "WCAG 2.1 nivå A og AA" in plain
    assert "har ikke lagt inn en kontaktadresse" in plain
    monkeypatch.setenv("SLT_TILGJENGELIGHET_KONTAKT", "slt@kommune.no")
    contact = find(page("om_dataene").layout(), "tilgjengelighet-kontakt")
    assert "mailto:slt@kommune.no" in str(contact.to_plotly_json())


@pytest.mark.parametrize("region", ["Grenland", "Telemark", "Sør-Øst politidistrikt",
                                    "Porsgrunn"])
def test_ungdata_opens_on_an_indicator_the_region_or_its_kommuner_have(app, sample, region):
    queries.configure(sample)
    layout = page("ungdata").layout(region=region)
    indicator = find(layout, "ung-indicator").value
    level = find(layout, "ung-level").value
    assert indicator != "organisert_fritid"  # one undated key figure, for Porsgrunn only
    for card in (page("ungdata")._trend(region, indicator, level),
                 page("ungdata")._members(region, indicator, level)):
        title, fig, style, empty, *_rest = card
        assert empty is None and style == {} and len(go.Figure(fig).data) > 0, title
    members = page("ungdata")._members(region, indicator, level)
    plotted = {n for trace in go.Figure(members[1]).data for n in trace.y}
    if region == "Grenland":
        assert {"Bamble", "Porsgrunn", "Siljan", "Skien", "Telemark", "Hele landet"} <= plotted


@pytest.mark.parametrize("card, title", [("_members", "Kommunene side om side"),
                                         ("_genders", "Jenter og gutter")])
def test_an_ungdata_card_without_a_chosen_indicator_says_where_figures_come_from(app, card,
                                                                                 title):
    shown, _fig, style, empty, *_rest = getattr(page("ungdata"), card)("Grenland", "", "")
    assert shown == title and style == {"display": "none"}
    assert "Ingen Ungdata-tall i databasen ennå" in texts(empty.children)


def test_a_region_without_police_figures_says_which_file_would_fill_the_first_card(app):
    out = page("ungdomskriminalitet")._types("Skien", [2019, 2024], [], "count", "linjer")
    alert = out[3]
    text = texts(alert.children)
    assert "Ingen politi-tall for Skien" in text
    assert "politidistriktets tabell over U18-forhold" in text and "slt ingest FIL" in text
    assert "/last-opp" in str(alert.to_plotly_json())  # analysts: the upload page


@pytest.mark.parametrize("card, args", [("_ages", ()), ("_same_period", ()),
                                        ("_genders", ("count",))])
def test_the_other_cards_of_a_region_without_police_figures_say_it_briefly(app, card, args):
    out = getattr(page("ungdomskriminalitet"), card)("Skien", [2019, 2024], *args)
    alert = out[3]
    text = " ".join(texts(alert.children).split())
    assert text == "Ingen politi-tall for Skien i 2019–2024. Se Grenland , som har tall."
    assert "/ungdomskriminalitet?region=Grenland" in str(alert.to_plotly_json())


def test_a_group_without_its_own_gender_split_shows_girls_and_boys_in_its_kommuner(app, sample):
    queries.configure(sample)
    title, fig, style, empty, note, *_rest = page("ungdata")._genders(
        "Grenland", "depressive_symptomer", "Ungdomsskole")
    assert empty is None and style == {}
    fig = go.Figure(fig)  # a plain dict, read (and checked) by plotly
    assert {t.name for t in fig.data} == {"Jenter", "Gutter"}
    places = {p for t in fig.data for p in t.y}
    assert {"Porsgrunn", "Skien", "Hele landet"} <= places
    assert "jenter og gutter i kommunene i Grenland" in title
    assert "Grenland har ikke egne tall for jenter og gutter" in note


def test_the_pages_say_changes_across_the_penal_code_cannot_be_judged():
    """Krim's chart title and Oversikt's list lead say so, not «ingen krimtype endret seg»
    (the seed's years moved back eight: 2022 → 2014, 2023 → 2015)."""
    import pandas as pd

    from analysis.findings import count_findings
    from tests.conftest import TEST_DATA

    seed = pd.read_csv(TEST_DATA / "report" / "grenland_u18_seed.csv", dtype={"age": str})
    earlier = seed[seed["counted_through"].isna()].assign(year=lambda f: f["year"] - 8)
    across = [f for f in count_findings(earlier, 2015)
              if f.family == "crime_type" and f.kind == "yoy"]
    assert across and ungdomskriminalitet_title(across) == ("Endringene fra 2014 til 2015 kan "
                                                             "ikke vurderes")
    listed = page("oversikt")._type_list(across, "Grenland", 2011, 2015)
    assert listed.children[0].children.startswith("Endringene kan ikke vurderes")
    assert len(listed.children[1].children) > 1  # the reason said once, under the list
    assert str(listed).count("Ny straffelov fra 1. oktober 2015") == 1
    assert listed.children[2].children.startswith("Ny straffelov fra 1. oktober 2015")


def ungdomskriminalitet_title(found) -> str:
    return page("ungdomskriminalitet")._chart_title(found, "")


def _store_across_the_penal_code(tmp_path):
    """The seed's crime types moved back nine years (2019 → 2010 … 2024 pr. 01.08 → 2015 pr.
    01.08), after 2014 counted through 01.08 (as in August 2014) was loaded."""
    import csv

    from etl.dispatch import ingest_any
    from tests.conftest import TEST_DATA
    from tests.unit.test_dashboard_queries import partial_year_file

    with (TEST_DATA / "report" / "grenland_u18_seed.csv").open(encoding="utf-8") as seed:
        rows = [r for r in csv.DictReader(seed) if r["crime_type"] != "Totalt"
                and r["age"] == r["gender"] == "Totalt"]
    lines = ["Kommune;År;Lovbruddsgruppe;Antall;Telt til"]
    lines += [f"Grenland;{int(r['year']) - 9};{r['crime_type']};{r['offences']};"
              + ("01.08.2015" if r["counted_through"] else "") for r in rows]
    moved = tmp_path / "grenland_2010-2015.csv"
    moved.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    ingest_any(partial_year_file(tmp_path, 2014), db)
    ingest_any(moved, db)
    return db


def test_a_partial_2015_against_the_same_period_of_2014_gets_no_verdict_and_says_why(
        app, tmp_path):
    queries.configure(_store_across_the_penal_code(tmp_path))
    title, _fig, _s, _e, note, data, *_rest = page("ungdomskriminalitet")._same_period(
        "Grenland", [2010, 2015])
    assert title == ("2015 pr. 01.08: 345 forhold mot 240 samme periode i 2014 – "
                     "kan ikke vurderes")
    assert note == ("Begge periodene er talt til samme dato. Ny straffelov fra 1. oktober 2015 "
                    "endret hvordan lovbrudd grupperes og telles, så endringen vurderes ikke.")
    assert "2014 pr. 01.08;Vinning;100" in data["csv"]


def test_missing_survey_rounds_are_named_by_their_year_in_order_everywhere(app, sample):
    """Telemark has no depressive_symptomer for 2022 and 2023 («.» in FHI's file): both are
    gaps named «2022» and «2023» between 2021 and 2024 — never «2022 (nan)» after 2025."""
    queries.configure(sample)
    _title, fig, _style, _empty, _note, data, table, _tools, summary, _config = \
        page("ungdata")._trend("Porsgrunn", "depressive_symptomer", "Ungdomsskole")
    assert "nan" not in data["csv"] + summary + texts(table)
    telemark = [line for line in data["csv"].splitlines() if line.startswith("Telemark;")]
    years = [line.split(";")[1] for line in telemark]
    assert years == [str(y) for y in range(2016, 2026)]
    assert "Telemark;2022;" in telemark and "Telemark;2023;" in telemark
    assert "2021 16,5, 2022 ingen tall, 2023 ingen tall, 2024 13,6" in summary
    body = table.children[-1].children
    rows = [texts(row["props"]["children"][0]) for row in body]
    assert rows == [str(y) for y in range(2016, 2026)]
