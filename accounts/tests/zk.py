"""What the page script (static/js/zk.js) posts instead of the password, for tests of the web forms."""

from accounts.kdf import KdfParams

from .factories import DEFAULT_PASSWORD, TEST_KDF, auth_key_for


def signin_data(email: str, password: str = DEFAULT_PASSWORD) -> dict:
    """The sign-in form as the page sends it: the address and the auth key, never the password."""
    return {"login": email, "auth_key": auth_key_for(password)}


def new_password_data(password: str = DEFAULT_PASSWORD, kdf: KdfParams = TEST_KDF) -> dict:
    """A new password as the sign-up and reset pages send it: auth key, salt and parameters."""
    return {
        "auth_key": auth_key_for(password, kdf),
        "kdf_salt": kdf.salt,
        "kdf_iterations": str(kdf.iterations),
        "kdf_memory_kib": str(kdf.memory_kib),
        "kdf_parallelism": str(kdf.parallelism),
    }
