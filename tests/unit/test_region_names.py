"""Region names as users, SSB and the police write them resolve to one catalogue region."""

import pytest

from etl.regions import load_catalogue


@pytest.mark.parametrize("text, code", [
    ("Porsgrunn", "K4001"), ("4001", "K4001"), ("K-3806 Porsgrunn", "K4001"),
    ("3806 Porsgrunn (2020-2023)", "K4001"), ("0805", "K4001"), ("Oslo - Oslove", "K0301"),
    ("Våler (Østf.)", "K3114"), ("Våler (Innlandet)", "K3419"), ("Grenland psd.", "GRENLAND"),
    ("Skien kommune", "K4003"), ("Hele landet", "NO"), ("Telemark", "F40"),
    ("Sør-Øst politidistrikt", "P04"), ("Karasjok", "K5610"), ("Hattfjelldal", "K1826"),
    ("Guovdageaidnu - Kautokeino", "K5612"),
    # FHI's location codes (csdata, the statistics bank's API)
    ("municip_nor4001", "K4001"), ("municip_nor3806", "K4001"), ("county_nor03", "F03"),
    ("county_nor56", "F56"), ("nation_nor", "NO"),
])
def test_spellings_resolve_to_todays_region(text, code):
    assert load_catalogue().resolve(text).region_code == code


def test_unknown_names_resolve_to_nothing_and_get_suggestions():
    catalogue = load_catalogue()
    assert catalogue.resolve("Porsgrun") is None
    assert catalogue.suggest("Porsgrun")[0] == "Porsgrunn"


@pytest.mark.parametrize("text", ["county_nor5", "county_nor99", "nation_nor1",
                                  "municip_nor9999", "municip_nor40"])
def test_fhi_location_codes_of_no_known_region_resolve_to_nothing(text):
    assert load_catalogue().resolve(text) is None


def test_region_names_are_unique_and_oslo_the_kommune_wins_the_plain_name():
    catalogue = load_catalogue()
    names = [r.name for r in catalogue.regions.values()]
    assert len(names) == len(set(names))
    assert catalogue.resolve("Oslo").level == "kommune"
    assert catalogue.by_code("F03").name == "Oslo fylke"


def test_groups_and_districts_know_their_kommuner():
    catalogue = load_catalogue()
    assert catalogue.kommuner_of("GRENLAND") == ("K4001", "K4003", "K4010", "K4012")
    assert len(catalogue.kommuner_of("NO")) == 357


def test_ssb_and_fhi_short_codes_name_the_country_and_fylker():
    catalogue = load_catalogue()
    assert catalogue.resolve("0").region_code == "NO"
    assert catalogue.resolve("40").region_code == "F40"


def test_a_taught_region_name_is_known_only_while_the_aliases_are():
    from etl.vocab import using_aliases

    taught = [("region_aliases.csv", ("Bø i Telemark", "K4020"))]
    assert load_catalogue().resolve("Bø i Telemark") is None
    with using_aliases(taught):
        assert load_catalogue().resolve("bø i  telemark").name == "Midt-Telemark"
        # the store's groups replace the reference ones; the taught name stays
        assert load_catalogue().with_groups({}).resolve("Bø i Telemark").name == "Midt-Telemark"
    assert load_catalogue().resolve("Bø i Telemark") is None


def test_an_unknown_region_is_refused_with_the_closest_names_and_the_command_to_teach_it():
    from etl.regions import unknown_region

    assert unknown_region(load_catalogue(), "Porsgrund", "regionen") == (
        "regionen «Porsgrund» er ingen kjent kommune, region eller gruppe. Mente du «Porsgrunn» "
        "eller «Farsund» eller «Porsanger»? Er navnet riktig, lær programmet hva det betyr med: "
        'slt alias legg-til region "Porsgrund" Porsgrunn (med det riktige i stedet for '
        "Porsgrunn), eller på siden Last opp")


@pytest.mark.parametrize("text, code", [
    ("0137 Våler", "K3114"), ("0426 Våler", "K3419"),  # Østfold's and Hedmark's Våler
    ("0616 Nes", "K3322"), ("0236 Nes", "K3228"),  # Nes i Buskerud is Nesbyen today
    ("0441 Os", "K3430"), ("1243 Os", None),  # Os i Hordaland merged into Bjørnafjorden
])
def test_old_numbers_of_kommuner_that_shared_a_name_resolve_to_their_own_successor(text, code):
    """bord4-data's transitions paired each of these with the other kommune of its name
    ("merge"); data/reference/region_transitions_corrections.csv corrects them, and a
    kommune merged into a larger one is not read as that one."""
    region = load_catalogue().resolve(text)
    assert (region and region.region_code) == code


def test_a_name_another_kommune_had_before_2020_is_known_with_its_successor():
    catalogue = load_catalogue()
    former, today, became = catalogue.former_of("Bø")
    assert (former.kommunenummer, former.last_year, today.region_code, became.name) == \
        ("0821", 2019, "K1867", "Midt-Telemark")
    assert catalogue.former_name("Bø", 2019) == (
        "«Bø» i 2019 er ikke entydig: til og med 2019 var Bø også en kommune i Telemark (0821, "
        "som ble en del av Midt-Telemark i 2020), og filen har ingen tall for Midt-Telemark i "
        "2019. Skriv «Bø (Nordland)» eller kommunenummeret 1867 om tallene gjelder Bø i "
        "Nordland")
    assert "Skriv «Nesbyen» om tallene gjelder den, eller «Nes (Akershus)»" in \
        catalogue.former_name("Nes", 2015)
    assert [catalogue.former_of(label) for label in ("Bø (Nordland)", "1867", "Porsgrunn")] \
        == [None, None, None]



@pytest.mark.parametrize("sheet, text", [
    ("Porsgrunn", "Porsgrunn"), ("U18 Porsgrunn", "Porsgrunn"), ("Skien 2019-2024", "Skien"),
    ("Indre Østfold U18", "Indre Østfold"),  # the longest run, not Østfold the fylke
    ("Ås og Vestby", "Ås og Vestby"),  # two kommuner: none of them
    ("Ark1", "Ark1"), ("Totalt", "Totalt")])
def test_a_sheets_name_gives_the_one_region_among_its_words(sheet, text):
    from etl.staging_regions import place_text

    assert place_text(sheet, None, load_catalogue(), frozenset({sheet})) == text


@pytest.mark.parametrize("name, namesakes", [
    ("Herøy", ["Herøy (Møre og Romsdal)", "Herøy (Nordland)"]),
    ("våler", ["Våler (Østfold)", "Våler (Innlandet)"]),
])
def test_a_name_two_kommuner_share_suggests_both_of_them(name, namesakes):
    """«Herøy» is two kommuner: the suggestions are those two, not «Averøy» or «Osterøy»."""
    assert load_catalogue().resolve(name) is None
    assert sorted(load_catalogue().suggest(name)) == sorted(namesakes)


def test_a_refusal_of_a_shared_name_says_which_kommuner_share_it_and_quotes_the_command():
    from etl.regions import unknown_region

    assert unknown_region(load_catalogue(), "Herøy", "regionen") == (
        "regionen «Herøy» er navnet på flere kommuner: «Herøy (Møre og Romsdal)» (1515) og "
        "«Herøy (Nordland)» (1818). Skriv hvilken i filen, med fylket i parentes eller "
        "kommunenummeret. Gjelder filene alltid den ene, lær programmet hva det betyr med: "
        'slt alias legg-til region "Herøy" "Herøy (Møre og Romsdal)" (med det riktige i stedet for '
        "Herøy (Møre og Romsdal)), eller på siden Last opp")
