"""The note under the region choice: a group's kommuner and when they last changed."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.components.group_note import membership, since


def text(component) -> str:
    """Every string in a Dash component tree, joined."""
    if isinstance(component, str):
        return component
    if isinstance(component, list):
        return " ".join(text(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else text(children)


def changes(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["upload_id", "uploaded_at", "uploaded_by", "message",
                                       "rolled_back_at", "current"])


AT = dt.datetime(2026, 11, 30, 22, 5)


def test_a_region_that_is_no_group_gets_no_note():
    assert membership("Skien", [], None) == []


def test_a_seeded_group_says_its_kommuner_come_from_the_reference_file():
    note = text(membership("Grenland", ["Bamble", "Porsgrunn", "Siljan", "Skien"], None))
    assert "Grenland er en regiongruppe av Bamble, Porsgrunn, Siljan og Skien." in note
    assert "fra data/reference/region_groups.csv" in note
    assert "Endringer" not in note


def test_a_changed_group_says_who_changed_it_when_and_lists_undone_changes():
    found = changes((12, AT, "kari", "Nedre Telemark: lagt til Bamble", AT, False),
                    (11, AT, "kari", "ny gruppe Nedre Telemark: Porsgrunn og Skien", None, True))
    note = text(membership("Nedre Telemark", ["Porsgrunn", "Skien"], found))
    assert "sist endret 30.11.2026 kl. 22:05 av kari (opplasting 11)" in note
    assert "Endringer i gruppen (2)" in note
    assert "lagt til Bamble – angret 30.11.2026 kl. 22:05" in note


def test_a_group_whose_only_changes_were_undone_is_as_the_reference_file_made_it():
    found = changes((12, AT, None, "Grenland: tatt ut Siljan", AT, False))
    assert since(found).startswith("Medlemmene er fra data/reference/region_groups.csv")
