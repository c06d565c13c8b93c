"""accounts.kdf: parameters, floor and ceiling, auth key shape, pre-login stand-ins, credentials."""

import pytest
from django.core.exceptions import ValidationError

from accounts.kdf import (
    NO_AUTH_KEY,
    KdfParams,
    auth_key_clean,
    kdf_default,
    prelogin_params,
    prelogin_salt,
)
from accounts.services import credentials_set
from vaultclient.crypto import AuthKdf, auth_key_derive, master_derive, password_bytes

from .factories import DEFAULT_PASSWORD, TEST_KDF, UserFactory, auth_key_for

GOOD = {"salt": "dGVzdC1zYWx0LTE2Ynl0ZQ", "iterations": 3, "memory_kib": 65536, "parallelism": 1}


def test_from_data_parses_good_parameters_and_prefixed_form_fields():
    assert KdfParams.from_data(GOOD) == KdfParams(**GOOD)
    form = {f"kdf_{k}": str(v) for k, v in GOOD.items()}
    assert KdfParams.from_data(form, prefix="kdf_") == KdfParams(**GOOD)


@pytest.mark.parametrize(
    "change, code, words",
    [
        ({"iterations": 2}, "kdf_too_weak", "iterations must be at least 3"),
        ({"memory_kib": 65535}, "kdf_too_weak", "memory_kib must be at least 65536"),
        ({"parallelism": 0}, "kdf_too_weak", "parallelism must be at least 1"),
        ({"iterations": 11}, "kdf_too_costly", "iterations must be at most 10"),
        ({"memory_kib": 2**21}, "kdf_too_costly", "memory_kib must be at most"),
        ({"parallelism": 9}, "kdf_too_costly", "parallelism must be at most 8"),
        ({"salt": "short"}, "kdf_invalid", "16 random bytes"),
        ({"salt": "dGVzdC1zYWx0LTE2Ynl0ZQ=="}, "kdf_invalid", "unpadded base64url"),
        ({"salt": "dGVzdC1zYWx0LTE2Ynl0Z+"}, "kdf_invalid", "base64url"),
        ({"salt": ""}, "kdf_missing", "missing"),
        ({"iterations": "three"}, "kdf_invalid", "whole number"),
        ({"iterations": True}, "kdf_invalid", "whole number"),
        ({"memory_kib": 65536.0}, "kdf_invalid", "whole number"),
    ],
)
def test_from_data_refuses_with_a_clear_sentence(change, code, words):
    with pytest.raises(ValidationError) as raised:
        KdfParams.from_data({**GOOD, **change})
    assert raised.value.code == code
    assert words in raised.value.messages[0]


def test_from_data_refuses_a_missing_object():
    with pytest.raises(ValidationError) as raised:
        KdfParams.from_data(None)
    assert raised.value.code == "kdf_missing"


def test_floor_follows_the_setting(settings):
    settings.AUTH_KDF_FLOOR = {"iterations": 4, "memory_kib": 65536, "parallelism": 1}
    with pytest.raises(ValidationError):
        KdfParams.from_data(GOOD)


def test_default_has_a_fresh_salt_and_the_setting_costs():
    first, second = kdf_default(), kdf_default()
    assert first.salt != second.salt and len(first.salt) == 22
    assert (first.iterations, first.memory_kib, first.parallelism) == (3, 65536, 1)
    assert KdfParams.from_data(first.as_dict()) == first


@pytest.mark.parametrize("text", [None, "", "x" * 43 + "=", "A" * 42, "A" * 44, "correct horse battery"])
def test_auth_key_clean_refuses_anything_but_32_bytes_of_base64url(text):
    with pytest.raises(ValidationError) as raised:
        auth_key_clean(text)
    assert raised.value.messages[0].startswith(NO_AUTH_KEY)


def test_auth_key_clean_accepts_a_derived_key():
    key = auth_key_for()
    assert auth_key_clean(key) == key and len(key) == 43


def test_reference_derivation_normalises_and_differs_by_salt():
    assert password_bytes("ﬁ") == b"fi"  # NFKC folds the ligature
    assert password_bytes(" a ") == b" a "  # no trimming
    kdf = AuthKdf(salt=TEST_KDF.salt)
    assert auth_key_derive("ﬁne-password", kdf) == auth_key_derive("fine-password", kdf)
    assert auth_key_derive(DEFAULT_PASSWORD, kdf) == auth_key_derive(DEFAULT_PASSWORD, TEST_KDF)
    assert auth_key_derive(DEFAULT_PASSWORD, AuthKdf.fresh()) != auth_key_derive(DEFAULT_PASSWORD, kdf)
    assert len(master_derive(DEFAULT_PASSWORD, kdf)) == 32


@pytest.mark.django_db
def test_credentials_set_stores_a_hash_of_the_auth_key_and_the_parameters():
    user = UserFactory()
    kdf = kdf_default()
    key = auth_key_derive(DEFAULT_PASSWORD, kdf)
    credentials_set(user=user, auth_key=key, kdf=kdf)
    user.refresh_from_db()
    assert user.password.startswith("authkey_pbkdf2_sha256$") and key not in user.password
    assert user.check_password(key) and not user.check_password(DEFAULT_PASSWORD)
    assert KdfParams.from_user(user) == kdf


@pytest.mark.django_db
def test_credentials_set_refuses_a_password():
    user = UserFactory()
    with pytest.raises(ValidationError):
        credentials_set(user=user, auth_key=DEFAULT_PASSWORD, kdf=kdf_default())


@pytest.mark.django_db
def test_prelogin_gives_the_account_parameters_or_stable_stand_ins_of_the_same_shape():
    user = UserFactory(email="known@example.com")
    assert prelogin_params("  Known@Example.com ") == KdfParams.from_user(user) == TEST_KDF
    unknown = prelogin_params("nobody@example.com")
    assert unknown == prelogin_params("NOBODY@example.com ")
    assert unknown.salt == prelogin_salt("nobody@example.com") and len(unknown.salt) == 22
    assert unknown.as_dict().keys() == TEST_KDF.as_dict().keys()
    assert (unknown.iterations, unknown.memory_kib, unknown.parallelism) == (3, 65536, 1)
    assert prelogin_params("other@example.com").salt != unknown.salt


def test_prelogin_stand_in_depends_on_the_secret_key(settings):
    before = prelogin_salt("nobody@example.com")
    settings.SECRET_KEY = "another-secret-key-of-sufficient-length-0123456789"
    assert prelogin_salt("nobody@example.com") != before


def test_settings_check_refuses_a_default_below_the_floor_or_above_the_ceiling(settings):
    from accounts.checks import kdf_settings_check

    assert kdf_settings_check() == []
    settings.AUTH_KDF_DEFAULT = {"iterations": 2, "memory_kib": 65536, "parallelism": 1}
    assert [e.id for e in kdf_settings_check()] == ["accounts.E002"]
    settings.AUTH_KDF_DEFAULT = {"iterations": 3, "memory_kib": 2**21, "parallelism": 1}
    assert [e.id for e in kdf_settings_check()] == ["accounts.E002"]
    settings.AUTH_KDF_DEFAULT = {"iterations": 3, "memory_kib": 65536}
    assert [e.id for e in kdf_settings_check()] == ["accounts.E001"]
