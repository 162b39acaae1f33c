"""Which stored answers a worker prepares first after a publish: the most asked, counted in
bounded memory."""

from __future__ import annotations

from dashboard import answer_cache
from dashboard.answer_cache import Popular, popular_file


def test_the_most_asked_requests_come_first():
    popular = Popular()
    for body, times in ((b"a", 1), (b"b", 3), (b"c", 2)):
        for _ in range(times):
            popular.add(body)
    assert popular.top(2) == [b"b", b"c"]


def test_a_request_asked_only_once_is_not_among_those_prepared_after_a_publish():
    popular = Popular()
    for body, times in ((b"once", 1), (b"twice", 2), (b"thrice", 3)):
        for _ in range(times):
            popular.add(body)
    assert popular.top(10, at_least=answer_cache.REPEATED) == [b"thrice", b"twice"]


def test_only_the_first_requests_seen_are_counted_once_the_bound_is_reached():
    popular = Popular(kept=2)
    for body in (b"a", b"b", b"c", b"c", b"c", b"a"):
        popular.add(body)
    assert popular.counts == {b"a": 2, b"b": 1}


def test_each_database_keeps_its_own_list(tmp_path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    assert popular_file(first) != popular_file(second)
    assert popular_file(first) == popular_file(tmp_path / "." / "a.duckdb")


def test_a_kept_list_whose_database_is_gone_is_removed_by_the_next_server(tmp_path, monkeypatch):
    import tempfile

    from dashboard import answer_cache

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    alive, gone = tmp_path / "alive.duckdb", tmp_path / "gone.duckdb"
    alive.write_bytes(b"")
    for db in (alive, gone):
        answer_cache._save_popular(popular_file(db), db, [b'{"a": 1}'])
    assert answer_cache._load_popular(popular_file(gone)) == [b'{"a": 1}']
    answer_cache.new_root()
    assert popular_file(alive).exists() and not popular_file(gone).exists()


def test_the_workers_of_one_server_add_to_the_kept_list_and_never_overwrite_it(tmp_path,
                                                                             monkeypatch):
    """Each worker keeps what it was asked most; the last to save must not drop the others'
    (a worker that was asked only for the page layout saved after the one asked for Oversikt:
    the next server prepared only the layout)."""
    import tempfile

    from dashboard import answer_cache

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    db = tmp_path / "slt.duckdb"
    answer_cache._save_popular(popular_file(db), db, [b'{"oversikt": 1}', b'{"side": 1}'])
    answer_cache._save_popular(popular_file(db), db, [b'{"side": 1}'])
    assert answer_cache._load_popular(popular_file(db)) == [b'{"side": 1}', b'{"oversikt": 1}']
    many = [f'{{"n": {n}}}'.encode() for n in range(answer_cache.PREPARED + 5)]
    answer_cache._save_popular(popular_file(db), db, many)
    assert answer_cache._load_popular(popular_file(db)) == many[:answer_cache.PREPARED]
