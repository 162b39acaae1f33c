"""The catalogue editor offers the crime types taught in the database beside the package's."""

from __future__ import annotations

from etl import aliases
from etl.catalogue import catalogue
from tests.conftest import SEED_WORKBOOK


def _offered(component) -> list[str]:
    found = []

    def walk(node):
        if getattr(node, "id", None) == "katalog-crime-types":
            found.extend(option["value"] for option in node.options)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                walk(child)

    walk(component)
    return found


def test_the_editor_offers_a_crime_type_taught_with_ny(db):
    from dashboard.components.catalogue import editor
    from etl.dispatch import ingest_any

    ingest_any(SEED_WORKBOOK, db)
    before = _offered(editor(catalogue(db), None, db))
    assert "Vold" in before and "Ran" not in before
    aliases.add(db, "krimtype", "Ran", None, new=True)
    assert _offered(editor(catalogue(db), None, db)) == [*before, "Ran"]
