import pytest
from django.core import mail

from mailer import registry, services
from mailer.emails import TEST_KIND
from mailer.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def forget():
    names = []
    yield names.append
    for name in names:
        registry.kind_forget(name)


def test_a_kind_declared_twice_is_an_error(forget):
    forget("mailer.test_twice")
    registry.email_kind("mailer.test_twice", label="Once")(lambda email: None)
    with pytest.raises(registry.EmailKindError, match="declared twice"):
        registry.email_kind("mailer.test_twice", label="Twice")(lambda email: None)
    assert registry.kind_label("mailer.test_twice") == "Once"


@pytest.mark.parametrize(
    "name", ["test", "resets:reset_link", "support_ticket_reply", "Mailer.Test", "a.b.c"]
)
def test_kind_names_follow_one_style(name):
    with pytest.raises(registry.EmailKindError, match="<app>.<what>"):
        registry.email_kind(name, label="x")(lambda email: None)


def test_queueing_an_unknown_kind_fails_loudly():
    with pytest.raises(registry.UnknownEmailKind, match="mailer.no_such_kind"):
        services.email_queue(to="x@example.com", kind="mailer.no_such_kind")
    assert not OutboundEmail.objects.exists()


def test_sending_a_row_of_an_unknown_kind_fails_loudly():
    email = OutboundEmail.objects.create(to="x@example.com", kind="gone.kind")
    with pytest.raises(registry.UnknownEmailKind):
        services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED and "UnknownEmailKind" in email.last_error
    assert mail.outbox == []


def test_transient_arguments_must_match_the_declaration(forget):
    forget("mailer.test_secret")
    registry.email_kind("mailer.test_secret", label="Secret", transient=("payload",))(
        lambda email, *, payload: None
    )
    with pytest.raises(TypeError):
        services.email_queue(to="x@example.com", kind="mailer.test_secret")
    with pytest.raises(TypeError):
        services.email_queue(to="x@example.com", kind=TEST_KIND, transient={"payload": "s"})


def test_a_transient_kind_sent_without_its_arguments_is_cancelled_not_sent(forget):
    forget("mailer.test_secret")
    registry.email_kind("mailer.test_secret", label="Secret", transient=("payload",))(
        lambda email, *, payload: pytest.fail("rendered without its payload")
    )
    email = services.email_queue(to="x@example.com", kind="mailer.test_secret", transient={"payload": "s"})
    services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.CANCELLED and mail.outbox == []


def test_labels_come_from_the_declarations():
    assert registry.kind_label(TEST_KIND) == "Test message"
    assert registry.kind_label("resets.reset_link") == "Reset link"
    assert registry.kind_label("account.email_confirmation_signup") == "Address verification (sign-up)"
    assert registry.kind_label("api.account_key_qr") == "Account key QR code"
    assert registry.kind_label("someapp.new_kind_of_mail") == "New kind of mail"  # no longer declared


def test_every_app_declares_its_kinds_in_its_emails_module():
    declared = {name.split(".")[0] for name in registry._kinds}
    assert {"mailer", "account", "resets", "support", "chat", "api"} <= declared
    assert sorted(registry.kinds_transient()) == ["api.account_key_qr", "proofs.owner_code"]


def test_hooks_run_around_the_send(forget):
    from mailer.rendering import RenderedEmail, email_message

    calls = []
    forget("mailer.test_hooks")
    registry.email_kind(
        "mailer.test_hooks",
        label="Hooks",
        prepare=lambda email: calls.append(("prepare", len(mail.outbox))),
        on_sent=lambda email: calls.append(("on_sent", len(mail.outbox))),
    )(lambda email: email_message(to=email.to, rendered=RenderedEmail("S", "T\n", "<p>H</p>")))
    email = services.email_queue(to="x@example.com", kind="mailer.test_hooks")
    services.email_send(email_id=email.pk)
    assert calls == [("prepare", 0), ("on_sent", 1)]
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.subject == "S"


def test_a_prepare_hook_returning_false_cancels_the_email(forget):
    forget("mailer.test_prepare")
    registry.email_kind("mailer.test_prepare", label="P", prepare=lambda email: False)(
        lambda email: pytest.fail("rendered although prepare said no")
    )
    email = services.email_queue(to="x@example.com", kind="mailer.test_prepare")
    services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.CANCELLED


@pytest.mark.parametrize("parts", [("T\n", None), ("", "<p>H</p>"), ("T\n", "")])
def test_a_message_without_both_a_text_and_an_html_part_fails_loudly(forget, parts):
    """SPEC §6: every e-mail has a plain-text part and an HTML part, whichever renderer built it."""
    from django.core.mail import EmailMultiAlternatives

    text, html = parts

    def render(email):
        message = EmailMultiAlternatives(subject="S", body=text, to=[email.to])
        if html is not None:
            message.attach_alternative(html, "text/html")
        return message

    forget("mailer.test_one_part")
    registry.email_kind("mailer.test_one_part", label="One part")(render)
    email = services.email_queue(to="x@example.com", kind="mailer.test_one_part")
    with pytest.raises(registry.EmailPartsMissing, match="mailer.test_one_part"):
        services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED and "EmailPartsMissing" in email.last_error
    assert mail.outbox == []
