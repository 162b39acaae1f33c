"""The pages say what the report says, about the years they show, run in-process on the bundled
sample (Grenland, Porsgrunn): Oversikt's crime types are the report's comparisons, a chart's
title is about the years it plots, a missing rate or side-by-side gives its true reason, and a
partial year's estimate gets no verdict badge."""

from __future__ import annotations

import pytest

from tests.unit.test_dashboard_pages import page, texts

PAGES_STORE = "sample"  # tests/unit/conftest.py: the app on the bundled sample
pytestmark = pytest.mark.usefixtures("pages")


def words(component) -> str:
    return " ".join(texts(component).split())


def test_oversikt_s_crime_types_are_the_report_s_comparisons(app):
    """2019–2022: the report for 2022 calls Vinning (182 against an average of 77) and Vold
    real rises; Oversikt must not say that no crime type changed more than chance."""
    _headline, types, *_card = page("oversikt")._update("Grenland", [2019, 2022])
    text = words(types)
    assert "Ingen krimtype endret seg" not in text
    assert text.startswith("2 krimtyper endret seg i 2022 fra året før eller mot snittet av de "
                           "tre årene før mer enn tilfeldig variasjon")
    assert "Vinning: 182 i 2022 mot et snitt på 77 i 2019–2021, en reell økning." in text


def test_oversikt_with_one_partial_year_describes_that_year_and_why_it_has_no_rate(app):
    headline, _types, title, *_card = page("oversikt")._update("Grenland", [2024, 2024])
    assert title == "Registrerte U18-forhold i Grenland, 2024"   # not «622 i 2023 mot 623 …»
    text = words(headline)
    assert "622 forhold i 2023 −1 fra 2022 (623)" in text      # not «(–)»: none registered
    assert "Rate per 1 000 unge regnes bare for hele år: 2024 er et delår" in text
    assert "befolkningstall (SSB 07459) er lastet inn" not in text


def test_a_crime_type_chart_s_title_is_about_the_years_it_plots(app):
    types = page("ungdomskriminalitet")._types
    assert types("Grenland", [2024, 2024], [], "antall", "linjer")[0] == \
        "U18-forhold per krimtype i Grenland"
    # per 1 000: only 2023 is plotted (2024 is partial), so no sentence on 2022 to 2023
    assert "2022" not in types("Grenland", [2023, 2024], [], "rate", "linjer")[0]
    assert types("Grenland", [2019, 2024], [], "antall", "linjer")[0].endswith(
        "fra 2022 til 2023")


def test_ungdata_side_by_side_says_the_figure_shown_has_no_year(app):
    """Porsgrunn's «Har nasket i butikk siste år» is 12,0 % (SLT-plan 2025-2029), without a
    survey year: the chart above shows it, so below it must not say there are no figures."""
    text = words(page("ungdata")._members("Porsgrunn", "naskeri", None))
    assert "Ingen Ungdata-tall" not in text
    assert ("Porsgrunn har tall om «Har nasket i butikk siste år» bare uten undersøkelsesår "
            "(«SLT-plan 2025-2029»)") in text


def test_the_partial_year_slide_has_no_verdict_badge(app):
    deck = page("politirad").deck("Grenland", 2024, 0)
    slides = [c for c in deck.children if "pr-slide" in (getattr(c, "className", "") or "")]
    partial = next(s for s in slides if "2024 (pr. 01.08)" in texts(s.children[0]))
    assert "pr-verdict" not in str(partial.to_plotly_json())
    assert "testet som forhold per dag talt mot 2023" in texts(partial)
    assert any("pr-verdict" in str(s.to_plotly_json()) for s in slides)
