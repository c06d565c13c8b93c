import pytest

from support.templatetags.support_console import email_kind_label


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("resets.reset_request", "Reset link"),
        ("resets.reset_completed", "Reset confirmation"),
        ("resets.password_hint", "Password hint"),
        ("account.email_confirmation_signup", "Address verification (sign-up)"),
        ("support.ticket_reply", "Ticket reply"),
        ("someapp.new_kind_of_mail", "New kind of mail"),  # unknown: no "app." prefix shown
    ],
)
def test_email_kinds_read_as_words_for_agents(kind, label):
    assert email_kind_label(kind) == label
