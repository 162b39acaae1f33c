"""``slt user`` and the user store: hashed passwords, roles, throttled failed logins."""

import sqlite3

import pytest

from etl.users import (
    MAX_FAILURES,
    Throttled,
    UserError,
    add_user,
    authenticate,
    get_user,
    remove_user,
    set_password,
)

PASSWORD = "korrekt hest batteri"


@pytest.fixture
def users(tmp_path):
    return tmp_path / "users.sqlite"


def test_passwords_are_stored_as_argon2id_hashes_not_text(users):
    add_user(users, "kari", "analyst", PASSWORD)
    [(stored,)] = sqlite3.connect(users).execute("SELECT password_hash FROM users").fetchall()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_right_password_gives_the_user_with_role_and_wrong_gives_none(users):
    add_user(users, "kari", "analyst", PASSWORD)
    assert authenticate(users, "kari", PASSWORD).is_analyst
    assert authenticate(users, "kari", "feil passord!!") is None
    assert authenticate(users, "nobody", PASSWORD) is None


def test_failed_logins_are_throttled_per_user_even_with_the_right_password(users):
    add_user(users, "kari", "viewer", PASSWORD)
    for _ in range(MAX_FAILURES):
        assert authenticate(users, "kari", "gjetting123", address="10.0.0.1") is None
    with pytest.raises(Throttled):
        authenticate(users, "kari", PASSWORD, address="10.0.0.2")


def test_failed_logins_are_throttled_per_address_across_user_names(users):
    for n in range(MAX_FAILURES):
        authenticate(users, f"bruker{n}", "gjetting123", address="192.0.2.9")
    with pytest.raises(Throttled):
        authenticate(users, "someone-else", "gjetting123", address="192.0.2.9")


def test_short_passwords_unknown_roles_and_duplicates_are_refused(users):
    with pytest.raises(UserError, match="minst 10 tegn"):
        add_user(users, "kari", "analyst", "kort")
    with pytest.raises(UserError, match="ukjent rolle"):
        add_user(users, "kari", "admin", PASSWORD)
    add_user(users, "kari", "analyst", PASSWORD)
    with pytest.raises(UserError, match="finnes allerede"):
        add_user(users, "kari", "viewer", PASSWORD)


def test_passwd_changes_password_and_role_and_remove_deletes(users):
    add_user(users, "kari", "analyst", PASSWORD)
    set_password(users, "kari", "et nytt langt passord", role="viewer")
    assert authenticate(users, "kari", PASSWORD) is None
    assert authenticate(users, "kari", "et nytt langt passord").role == "viewer"
    remove_user(users, "kari")
    assert get_user(users, "kari") is None
    with pytest.raises(UserError, match="finnes ikke"):
        remove_user(users, "kari")


def test_user_commands_end_to_end(slt, db):
    added = slt("user", "add", "kari", "--role", "analyst", "--password-stdin", "--db", db,
                input_text=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    listed = slt("user", "list", "--db", db)
    assert "kari\tanalyst" in listed.stdout
    refused = slt("user", "add", "ola", "--role", "viewer", "--password-stdin", "--db", db,
                  input_text="kort\n")
    assert refused.returncode != 0
    assert "minst 10 tegn" in refused.stderr
    assert slt("user", "remove", "kari", "--db", db).returncode == 0
    assert "kari" not in slt("user", "list", "--db", db).stdout
