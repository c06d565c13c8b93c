"""Seed the knowledge base with the first articles, in the product's own words."""

from django.db import migrations

CATEGORIES = [
    ("getting-started", "How Vault keeps your data yours", "Zero knowledge, your Account Password and your account key.", 1),
    ("locked-out", "Locked out and account reset", "What to do when you cannot unlock Vault anywhere.", 2),
    ("devices", "Signing in and devices", "New phones, new computers, and signing devices out.", 3),
    ("licence", "Licence and billing", "Plans, renewals and what a reset does to them.", 4),
]

RESET_BODY = """\
An account reset is the last resort for someone who is locked out of every device. Because Vault is zero-knowledge, nobody — not even our support team — can recover your Account Password, your account key or your vault. A reset gives you a fresh start on the same account; it does not bring your data back.

When a reset is the right step

Only when you cannot unlock Vault anywhere: you forgot your Account Password and no app on any of your devices still opens, not even with Face ID, Touch ID, Windows Hello or another biometric unlock.

If any app still unlocks, do not reset. Open that app and change your Account Password from its settings instead: your vault is kept, and a new Encrypted Account Key QR code is e-mailed to you.

If you only need a reminder, ask for your password hint first from the reset page: we e-mail it to the account's address.

What a reset erases

- Every item in your vault: passwords, notes, cards and files. They are deleted on our servers and, the next time each app connects, in the apps too.
- Your current account key. Your key generation goes up by one, so every old Encrypted Account Key QR code, every encrypted backup and every export made before the reset is obsolete and will be refused.
- Every sign-in: all web sessions end and every device is signed out.

What a reset keeps

- Your account and its account ID.
- Your e-mail address.
- Your licence, its expiry date and its history: you do not pay again.

The steps

1. Go to the reset page at /reset/ and read the notice. Enter your account's e-mail address and start the reset. We answer the same way whether or not the address has an account.

2. Open the e-mail titled as an account reset. Its "Reset account" link works for 60 minutes and only once. If you did not ask for it, use the "This wasn't me" link instead and nothing happens.

3. On the page the link opens, read the warning again, choose a new Account Password (at least 10 characters), confirm it, write a new hint that does not contain the password, and confirm that you understand your data will be erased. If you only lost your QR code, you may keep the same password.

4. We e-mail you a confirmation that your account was reset. You are not signed in automatically.

5. Sign in to a Vault app with your new password. On this first sign-in the app creates a new account key, and we e-mail you your new Encrypted Account Key QR code. Keep that e-mail safe: it is what you need to add your next device.

Old QR codes and backups

After a reset, every QR code and backup from before is obsolete. Apps that scan an old QR code say so plainly. Delete the old QR e-mails and store the new one.

Support cannot do this for you

Our support team can re-send the reset e-mail, but only to your account's own address, and can never set a password, read a hint or see your vault.
"""

ARTICLES = [
    (
        "getting-started",
        "zero-knowledge",
        "What zero-knowledge means for you",
        "Why we cannot see your vault — and why we cannot recover it either.",
        """\
Vault encrypts every item on your own devices, with an account key that only your apps hold. Our servers store the encrypted result and nothing that could decrypt it.

Your Account Password never leaves your devices in a form we could use: we keep only a one-way hash of it. Your account key is never stored on our servers; we keep only a verifier that lets an app prove it has the right key.

This is what keeps your data safe even from us. It also means that nobody at Vault can recover a forgotten Account Password or unlock your vault for you. If you are locked out of every device, the only way forward is an account reset, which erases your vault.

Nobody at Vault will ever ask for your Account Password, your hint or your Encrypted Account Key QR code — not by e-mail, not in chat, not on the phone.
""",
        1,
    ),
    (
        "getting-started",
        "account-password-and-hint",
        "Your Account Password and password hint",
        "Choosing a strong Account Password, writing a useful hint, and changing the password.",
        """\
Your Account Password unlocks your vault. Choose at least 10 characters; a few unrelated words are easy to remember and hard to guess.

When you create your account you can write a password hint. The hint must not contain the password. If you forget the password, you can ask us to e-mail the hint to your account's address from the reset page.

To change your Account Password, open any Vault app that still unlocks and change it in the settings. Your vault is kept, and we e-mail you a new Encrypted Account Key QR code. The website cannot change your password: that must happen in an unlocked app, where your vault key is available.
""",
        2,
    ),
    (
        "getting-started",
        "encrypted-account-key-qr-code",
        "Your Encrypted Account Key QR code",
        "What the QR code in your e-mail is for, and why to keep it.",
        """\
When an app creates your account key, we e-mail you a QR code: your Encrypted Account Key. It holds your account key, encrypted with your Account Password, together with your account ID and your key generation.

You need it to add a new device: sign in with your e-mail and password, then scan the QR code. The app decrypts it with your password and proves to our servers that it holds the right key.

The QR code is useless without your Account Password, but keep it private anyway. We do not keep a copy: it passes through our servers once, to be e-mailed, and is then forgotten. You can ask any unlocked app to e-mail it again.

After a password change or an account reset you receive a new QR code. After a reset, the old ones are obsolete and will be refused.
""",
        3,
    ),
    ("locked-out", "account-reset", "Account reset: when to use it, what it erases, what it keeps",
     "The last resort when you cannot unlock Vault anywhere. It erases your vault but keeps your account and licence.",
     RESET_BODY, 1),
    (
        "locked-out",
        "key-generation",
        "What “key generation” means",
        "The number on your account page that goes up after each reset.",
        """\
Your account page shows a key generation number. It starts at 1 and goes up by one each time your account is reset.

Every item, backup, export and Encrypted Account Key QR code is stamped with the key generation it was made under. After a reset, anything from an older generation is obsolete: the apps and our servers refuse it and say so, so that an old backup can never overwrite your new vault.
""",
        2,
    ),
    (
        "devices",
        "new-device",
        "Signing in on a new device",
        "Your password, then your Encrypted Account Key QR code.",
        """\
1. Install Vault on the new device and sign in with your e-mail address and Account Password.

2. When the app asks for it, scan your Encrypted Account Key QR code from our e-mail (on another screen or printed).

3. The app decrypts your account key with your password and proves ownership to our servers. Your vault then syncs to the new device.

Lost the QR code but another device still unlocks? Ask that app to e-mail the QR code again. Lost every device and the password? Read about the account reset.

You can see every device signed in to your account, and sign one out, on your account page.
""",
        1,
    ),
    (
        "licence",
        "licence-and-reset",
        "Your licence and what happens to it after a reset",
        "A reset never touches what you paid for.",
        """\
Your licence (plan, status, seats and expiry date) is kept apart from your vault. An account reset erases the vault but does not change your licence or its history: you do not pay again, and your renewal date stays the same.

Your account page shows your plan, its status and when it expires. For billing questions, write to support from the help pages and choose "Licence and billing".
""",
        1,
    ),
]


def seed(apps, schema_editor):
    Category = apps.get_model("support", "ArticleCategory")
    Article = apps.get_model("support", "Article")
    categories = {}
    for slug, name, description, position in CATEGORIES:
        categories[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    for category, slug, title, summary, body, position in ARTICLES:
        Article.objects.get_or_create(
            slug=slug,
            defaults={
                "category": categories[category],
                "title": title,
                "summary": summary,
                "body": body,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("support", "Article").objects.filter(slug__in=[a[1] for a in ARTICLES]).delete()
    apps.get_model("support", "ArticleCategory").objects.filter(
        slug__in=[c[0] for c in CATEGORIES], articles__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0002_console_groups")]

    operations = [migrations.RunPython(seed, unseed)]
