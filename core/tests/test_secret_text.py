import pytest

from core.secret_text import looks_like_secret


@pytest.mark.parametrize(
    "text",
    [
        "password: hunter2",
        "PASSWORD:hunter2",
        "pwd = abc",
        "my master password: x",
        "try Correct-Horse-42",
        "Zx9!kq2Lm#v",
        "it's aGVsbG8gd29ybGQgdGhpcyBpcyBhIGtleQ==",
        "recovery code: 1a2b3c4d",
        "my password is **Zx9!kq2Lm#v**",
        "P@ssw0rd!2024",
    ],
)
def test_flags_passwords(text):
    assert looks_like_secret(text)


@pytest.mark.parametrize(
    "text",
    [
        "My password is not working",
        "I forgot my password",
        "account 7KQ4M9X2PB",
        "dana.smith+vault@example.com",
        "https://vault.example/reset/?token=abc",
        "open /Settings/Security-Keys/2FA in the app",
        "Hello, I am locked out of my iPhone14 and MacBook",
        "",
    ],
)
def test_leaves_ordinary_text_alone(text):
    assert not looks_like_secret(text)
