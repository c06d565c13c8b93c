import pytest

from vaultclient import crypto
from vaultclient.cli import parser

FAST = crypto.KdfParams(time_cost=2, memory_kib=19_456, parallelism=1)


def seal(password="right-password-1"):
    return crypto.payload_seal(
        account_key=b"a" * 32, password=password, account_id="ABCDEFGHJK", generation=3, kdf=FAST
    )


def test_payload_round_trip():
    opened = crypto.payload_open(seal(), "right-password-1")
    assert (opened.account_id, opened.generation, opened.account_key) == ("ABCDEFGHJK", 3, b"a" * 32)
    assert len(seal()) == len("vaultkey:") + 146


def test_wrong_password_and_tampering_are_told_apart():
    with pytest.raises(crypto.PayloadError) as wrong:
        crypto.payload_open(seal(), "wrong-password-1")
    assert wrong.value.code == "wrong_password"
    blob = bytearray(crypto.b64url_decode(seal()[len("vaultkey:") :]))
    blob[-1] ^= 1
    with pytest.raises(crypto.PayloadError) as tampered:
        crypto.payload_open("vaultkey:" + crypto.b64url(bytes(blob)), "right-password-1")
    assert tampered.value.code == "payload_tampered"
    with pytest.raises(crypto.PayloadError) as garbage:
        crypto.payload_open("hello", "right-password-1")
    assert garbage.value.code == "payload_invalid"


def test_server_reads_the_same_header(settings):
    from api.qrpayload import payload_header_read

    header = payload_header_read(seal())
    assert (header.account_id, header.generation, header.memory_kib) == ("ABCDEFGHJK", 3, 19_456)


def test_items_are_bound_to_id_and_generation():
    ciphertext, nonce = crypto.item_seal(
        account_key=b"k" * 32, item_id="i", generation=1, plaintext=b"secret"
    )
    assert crypto.item_open(
        account_key=b"k" * 32, item_id="i", generation=1, ciphertext=ciphertext, nonce=nonce
    )
    with pytest.raises(Exception):
        crypto.item_open(account_key=b"k" * 32, item_id="i", generation=2, ciphertext=ciphertext, nonce=nonce)


def test_cli_parses_every_command():
    for argv in (["signin", "a@b.c"], ["verify", "--png", "x.png"], ["add", "n", "s"], ["import", "f"]):
        assert parser().parse_args(argv).command == argv[0]


# --- Zero-knowledge sign-in: the password rules run here, on the device (issue 13) ------------


@pytest.mark.parametrize(
    "password, hint, code",
    [
        ("short-1", "", "password_too_short"),
        ("password123", "", "password_too_weak"),
        ("Plum-Orbit-Seven-77", "my PLUM-ORBIT-SEVEN-77!", "hint_contains_password"),
    ],
)
def test_password_rules_run_on_the_device(password, hint, code):
    from vaultclient.policy import PasswordRejected, password_check

    with pytest.raises(PasswordRejected) as raised:
        password_check(password, hint=hint)
    assert raised.value.code == code and str(raised.value)


def test_a_strong_password_with_a_discreet_hint_passes():
    from vaultclient.policy import password_check

    password_check("Plum-Orbit-Seven-77", hint="fruit and space")


def test_the_client_refuses_derivation_parameters_outside_the_protocol():
    good = crypto.AuthKdf(salt="AAECAwQFBgcICQoLDA0ODw")
    assert crypto.auth_kdf_acceptable(good)
    for bad in (
        crypto.AuthKdf(salt=good.salt, memory_kib=1024),
        crypto.AuthKdf(salt=good.salt, iterations=1),
        crypto.AuthKdf(salt=good.salt, parallelism=64),
        crypto.AuthKdf(salt="AAEC"),
    ):
        assert not crypto.auth_kdf_acceptable(bad), bad
