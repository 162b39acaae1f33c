"""Publishing under load: readers never fail, and a killed writer never leaves a mix."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from etl.store import connect_read
from tests.conftest import SEED_WORKBOOK, run_slt, slt_command

PARTIAL_2024 = {"Vinning": 73, "Vold": 102, "Totalt": 345}
FULL_2024 = {"Vinning": 150, "Vold": 180, "Totalt": 500}


def figures_2024(db) -> dict[str, int]:
    with connect_read(db) as con:
        return dict(con.execute(
            "SELECT crime_type, offences FROM u18_offences WHERE year = 2024 AND age = 'Totalt' "
            "AND gender = 'Totalt' AND crime_type IN ('Vinning', 'Vold', 'Totalt')").fetchall())


def alternating_ingests(db, u18_data, rounds: int) -> subprocess.Popen:
    """A separate process that publishes the partial and the full 2024 figures in turn."""
    files = [u18_data / "seed_full_year_2024.xlsx", SEED_WORKBOOK] * rounds
    script = " && ".join(f"{' '.join(slt_command())} ingest --force --db {db} '{f}'"
                         for f in files)
    return subprocess.Popen(["bash", "-c", script], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def test_readers_get_answers_all_through_repeated_publishing(db, u18_data):
    assert run_slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    writer = alternating_ingests(db, u18_data, rounds=4)
    reads, failures, seen = 0, [], set()
    while writer.poll() is None:
        try:
            seen.add(tuple(sorted(figures_2024(db).items())))
            reads += 1
        except Exception as exc:  # any failed read is what this test is about
            failures.append(repr(exc))
    assert writer.returncode == 0
    assert failures == []
    assert reads > 20
    assert seen <= {tuple(sorted(PARTIAL_2024.items())), tuple(sorted(FULL_2024.items()))}
    assert len(seen) == 2, "the readers should have seen both versions"


def test_a_writer_killed_mid_publish_leaves_old_or_new_figures_never_a_mix(db, u18_data):
    assert run_slt("ingest", SEED_WORKBOOK, "--db", db).returncode == 0
    for delay in (0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1.05, 1.2):
        writer = alternating_ingests(db, u18_data, rounds=2)
        time.sleep(delay)
        os.killpg(writer.pid, signal.SIGKILL)
        writer.wait()
        found = figures_2024(db)
        assert found in (PARTIAL_2024, FULL_2024), found
    # After a crash the next writer cleans up and works.
    assert run_slt("ingest", "--force", SEED_WORKBOOK, "--db", db).returncode == 0
    assert figures_2024(db) == PARTIAL_2024
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]
