import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings
from django.urls import clear_url_caches

from mailer.backends import OutboxFolderBackend
from mailer.outbox import outbox_list, outbox_read


@pytest.fixture
def outbox_dir(settings, tmp_path):
    settings.EMAIL_OUTBOX_DIR = tmp_path
    return tmp_path


def test_folder_backend_writes_eml_files_that_the_outbox_reads(outbox_dir):
    message = EmailMultiAlternatives("Subject here", "Open http://x.test/a/", "f@x.test", ["t@x.test"])
    message.attach_alternative("<p>hi</p>", "text/html")
    assert OutboxFolderBackend().send_messages([message]) == 1
    [stored] = outbox_list()
    assert stored.subject == "Subject here"
    assert "http://x.test/a/" in stored.text
    assert stored.html.strip() == "<p>hi</p>"


@pytest.mark.parametrize("name", ["../secret.eml", "x.txt", ".hidden.eml", "a/b.eml"])
def test_outbox_refuses_paths_outside_the_folder(outbox_dir, name):
    assert outbox_read(name) is None


@pytest.mark.django_db
def test_dev_outbox_page_lists_mail_with_clickable_links(client, outbox_dir):
    import importlib

    import portal.urls

    message = EmailMultiAlternatives(
        "Link mail", "Go to http://127.0.0.1:8000/reset/x/", "f@x.test", ["t@x.test"]
    )
    OutboxFolderBackend().send_messages([message])
    with override_settings(DEBUG=True):
        importlib.reload(portal.urls)
        clear_url_caches()
        try:
            index = client.get("/dev/outbox/").content.decode()
            assert "Link mail" in index
            name = outbox_list()[0].name
            detail = client.get(f"/dev/outbox/{name}/").content.decode()
            assert '<a href="http://127.0.0.1:8000/reset/x/"' in detail
        finally:
            pass
    importlib.reload(portal.urls)
    clear_url_caches()
    assert client.get("/dev/outbox/").status_code == 404


def test_an_inline_image_shows_in_the_outbox_as_in_a_mail_app(outbox_dir):
    """The QR e-mail's image is a related part (cid:): a browser cannot load cid: URLs, so the
    dev outbox showed a broken image. It shows the part itself, as a data: URL."""
    from email.mime.image import MIMEImage

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    message = EmailMultiAlternatives("QR", "See the image", "f@x.test", ["t@x.test"])
    message.attach_alternative('<p><img src="cid:account-key-qr" alt="QR"></p>', "text/html")
    message.mixed_subtype = "related"
    image = MIMEImage(png, "png")
    image.add_header("Content-ID", "<account-key-qr>")
    image.add_header("Content-Disposition", "inline", filename="account-key-qr.png")
    message.attach(image)
    OutboxFolderBackend().send_messages([message])
    [stored] = outbox_list()
    assert "cid:" not in stored.html
    assert 'src="data:image/png;base64,iVBORw0KGgo' in stored.html
