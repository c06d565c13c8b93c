"""The server-side hash of the auth key (docs/security.md, "Stored sign-in secret").

What Django calls the password is, here, the auth key: 32 bytes the device derived from the
Account Password with Argon2id (at least 64 MiB, 3 passes) and HKDF. It has 256 bits of entropy
from the server's point of view, so stretching it again on the server buys nothing against a
brute force (2^256 guesses) and next to nothing against a dictionary attack on the password
(each guess already costs the attacker one full client Argon2id). What the hash must still do:
be one-way (a leaked row must not be usable as the auth key itself), be salted per user, and
be compared in constant time. One round of PBKDF2-HMAC-SHA256 with Django's random salt does
exactly that for microseconds of server CPU per sign-in; Django's verify() compares in
constant time.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class AuthKeyHasher(PBKDF2PasswordHasher):
    """Salted HMAC-SHA256 (PBKDF2, one iteration) of a high-entropy auth key."""

    algorithm = "authkey_pbkdf2_sha256"
    iterations = 1
