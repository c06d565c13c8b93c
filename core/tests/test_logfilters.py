import logging

import pytest

from core.logfilters import ScrubSecretsFilter, scrub


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer abcdefgh12345678", "abcdefgh12345678"),
        ("password=Hunter2-Secret&next=/", "Hunter2-Secret"),
        ('{"password_hint": "orange-kangaroo"}', "orange-kangaroo"),
        ("GET /reset/MQ-abcdefghijklmnopqrstuvwxyz HTTP/1.1", "abcdefghijklmnopqrstuvwxyz"),
    ],
)
def test_scrub_removes_secrets(text, secret):
    cleaned = scrub(text)
    assert secret not in cleaned and "[scrubbed]" in cleaned


def test_filter_rewrites_the_record_and_keeps_it():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token=%s", ("s3cr3t-value",), None)
    assert ScrubSecretsFilter().filter(record) is True
    assert "s3cr3t-value" not in record.getMessage()
