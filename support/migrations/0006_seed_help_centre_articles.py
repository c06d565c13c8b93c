"""Seed the rest of the help centre: 20 more articles in the product's own words, and related links.

Facts follow /work/shared/SPEC.md: zero-knowledge (nobody at Vault sees the Account Password, the
account key or the vault), the reset erases the vault and keeps the account and licence, key
generations make older QR codes and backups obsolete, second factors with recovery codes, and
support never asks for a password, a QR code or recovery codes.
"""

from django.db import migrations

from support.search import index_rebuild

CATEGORIES = [
    ("apps", "Using the apps", "Installing, unlocking, sync, backups, import and export.", 5),
    ("security", "Security and privacy", "Second factors, what we can and cannot see, and scams.", 6),
    ("account", "Your account and support", "Your account page, closing your account, and reaching us.", 7),
]

ARTICLES = [
    (
        "getting-started",
        "install-and-first-sign-in",
        "Installing Vault and signing in for the first time",
        "Create your account, install an app, and keep the QR code we e-mail you.",
        """\
1. Create your account on this website with your e-mail address and an Account Password of at least 10 characters. Write a password hint that does not contain the password. Confirm your e-mail address from the message we send.

2. Install the Vault app on your phone or computer and sign in with the same e-mail address and Account Password.

3. On this first sign-in the app creates your account key on the device and we e-mail you your Encrypted Account Key QR code. Keep that e-mail: you need it to add your next device.

Nobody can recover your Account Password

Vault is zero-knowledge: your Account Password never leaves your devices, and nobody at Vault can see it, reset it to something we know, or recover it. Choose a password you will remember, and keep at least two devices signed in if you can.

What to do next

- Turn on biometric unlock in the app, so that you can still open Vault if the password slips your mind.
- Add a second factor from your account page.
- Import your passwords from a backup or an export file.
""",
        0,
    ),
    (
        "locked-out",
        "forgot-account-password",
        "I forgot my Account Password",
        "What to try first — an app that still unlocks, biometrics, your hint — before an account reset.",
        """\
Nobody at Vault can recover or look up your Account Password: we never receive it. But you may not need it.

1. Is any app still unlocked, or does it open with Face ID, Touch ID, Windows Hello or another biometric unlock? Then open that app and change your Account Password in Settings → Account → Change password. Your vault is kept, and we e-mail you a new Encrypted Account Key QR code.

2. Ask for your password hint. On the reset page, choose "E-mail me my password hint": we send it to your account's address only.

3. Locked out of every device? Then an account reset is the last resort. It erases your vault and keeps your account, account ID and licence. Read the reset article before you start.

Our support team cannot do any of this for you, and will never ask you for your password.
""",
        0,
    ),
    (
        "locked-out",
        "lost-qr-code",
        "I lost my Encrypted Account Key QR code",
        "How to get the QR code again from an unlocked app, and what to do if no app unlocks.",
        """\
You need the QR code only to add a new device. We do not keep a copy of it, so support cannot send it again; but any app of yours can.

If an app still unlocks

Open it and, in its account settings, ask it to e-mail your QR code again. We send you the same QR code; your vault is kept. Changing your Account Password from the app also sends you a new QR code.

If no app unlocks

Without the QR code and without an unlocked app, a new device cannot prove that it holds your account key. The only way forward is an account reset: it erases your vault and keeps your account and licence. During the reset you may keep the same Account Password if you only lost the QR code. After the reset your first app sign-in e-mails you a new QR code.

Old QR codes after a reset

A QR code from before a reset belongs to an older key generation. Apps that scan it say plainly that it is obsolete. Delete it and keep the new one.
""",
        3,
    ),
    (
        "locked-out",
        "reset-email-missing",
        "The reset e-mail did not arrive",
        "Where to look, how long to wait, and how support can send it again to your own address.",
        """\
The reset e-mail usually arrives within a minute. It is titled as an account reset and comes from our own address.

- Look in your spam or junk folder, and in the tabs or filters of your mail app.
- Make sure you typed the e-mail address of your Vault account. For privacy, the reset page answers the same way whether or not an address has an account.
- Wait a few minutes before asking again: reset requests are limited per address and per network, and each new request replaces the link of the one before.

The link works for 60 minutes and only once. If it expired, start again from the reset page.

Still nothing? Write to support. An agent can send the pending reset e-mail again — only to your account's own address, never to another one.
""",
        4,
    ),
    (
        "locked-out",
        "unexpected-reset-email",
        "I received a reset e-mail I did not ask for",
        "Nothing changes unless the link is used. Cancel it with “This wasn't me”.",
        """\
Someone typed your e-mail address on the reset page. Nothing has changed: your vault is safe, and only someone who can read your mailbox could use the link.

Use the "This wasn't me" link in the e-mail. It cancels the request at once, and the reset link stops working.

Then make sure your e-mail account itself is safe: a strong password of its own and a second factor. Your mailbox is what protects your reset link and your QR code.

If you keep receiving reset e-mails you did not ask for, write to support: we can see when and from which network the requests were made.
""",
        5,
    ),
    (
        "locked-out",
        "after-a-reset",
        "After a reset: what to do next",
        "Sign in with the new password, keep the new QR code, and set up your devices again.",
        """\
Your account was reset: your vault is empty, every device is signed out, and your licence is unchanged.

1. Sign in to a Vault app with your new Account Password. The app creates a new account key and we e-mail you the new Encrypted Account Key QR code. Keep that e-mail safe.

2. Sign in on your other devices: your password, then the new QR code. Apps that still hold data from before the reset erase it when they reconnect.

3. Add your passwords again. Backups and exports made before the reset are obsolete and are refused; if you have passwords in another manager or a browser, import them from there.

4. Delete the old QR e-mails, turn on biometric unlock, and check your second factors on your account page.
""",
        6,
    ),
    (
        "devices",
        "lost-or-stolen-device",
        "A phone or computer was lost or stolen",
        "Sign it out from your account page; your vault stays encrypted on it.",
        """\
Your vault on the device is encrypted with your account key, and the app needs your Account Password or your biometrics to open it.

Sign the device out now: on your account page, find it in the list of devices and choose "Sign out this device". Its access to your account ends at once, and the app erases its copy of your vault the next time it connects.

If you think someone knows your Account Password, change it from another unlocked app. You then receive a new Encrypted Account Key QR code.

To set up the replacement device, read about signing in on a new device.
""",
        2,
    ),
    (
        "devices",
        "sign-out-everywhere",
        "Seeing and signing out your devices",
        "Your account page lists every signed-in device and browser.",
        """\
Your account page lists every device signed in to your account, with its platform and when it was last seen.

- "Sign out this device" ends one device's access. The app asks for your password and QR code to sign in again.
- Signing out every device at once happens automatically after an account reset.

Your account history on the same page shows sign-ins, password changes and resets, with the network they came from. If you see something you do not recognise, sign that device out and change your Account Password from an app you trust.
""",
        3,
    ),
    (
        "apps",
        "change-password-in-app",
        "Changing your Account Password from an app",
        "Your vault is kept and you receive a new QR code. The website cannot do it.",
        """\
Change your Account Password in any Vault app that is unlocked: Settings → Account → Change password.

The app needs your vault key, which only an unlocked app holds; that is why the website cannot change the password. The new password is checked on your device (at least 10 characters, not easy to guess) and never sent to us.

What changes

- Your vault is kept: nothing is erased.
- We e-mail you a new Encrypted Account Key QR code. Keep it, and delete the old one.
- Other devices ask for the new password the next time they unlock.

If no app unlocks, you cannot change the password: read what to do when you forgot it.
""",
        1,
    ),
    (
        "apps",
        "biometric-unlock",
        "Unlocking with Face ID, Touch ID or Windows Hello",
        "Biometric unlock stays on your device, and can save you from a reset.",
        """\
Turn on biometric unlock in the app's settings: Face ID or Touch ID on Apple devices, fingerprint or face unlock on Android, Windows Hello on Windows.

The app keeps a key to your vault in your device's secure hardware, released only by your biometrics. Your fingerprint or face never reaches us.

Why it matters when you are locked out

If you forget your Account Password but an app still opens with biometrics, you are not locked out: open it and change your password in Settings → Account → Change password. Your vault is kept.

Biometric unlock ends when the device is signed out, after a password change on another device, and after an account reset; the app then asks for your Account Password.
""",
        2,
    ),
    (
        "apps",
        "sync",
        "How sync works",
        "Your devices exchange encrypted items through our servers.",
        """\
Every change you make in one app is encrypted on that device and sent to our servers; your other devices fetch it and decrypt it with your account key. Our servers store only ciphertext.

Each item is stamped with your key generation. After an account reset, items from the older generation are refused as obsolete, so an old device can never bring deleted data back.

If a device does not show a recent change, check that it is online and signed in, then pull to refresh or reopen the app. A device that was signed out must sign in again with your password and QR code.
""",
        3,
    ),
    (
        "apps",
        "backups",
        "Backups, and why old ones are obsolete after a reset",
        "Encrypted backups belong to one account and one key generation.",
        """\
An app can write an encrypted backup of your vault to a file. The backup is encrypted with your account key and stamped with your account ID and your key generation.

Restoring a backup

Import the file from the app's settings. The app asks our servers whether the backup is current: a backup of another account, or of an older key generation, is refused with a message that says why.

Why old backups are obsolete after a reset

An account reset creates a new account key and raises your key generation by one. Backups made before the reset were encrypted with the old key, which no longer exists anywhere, so nobody can open them — not you, not us. Delete them and make a new backup after the reset.
""",
        4,
    ),
    (
        "apps",
        "import-and-export",
        "Importing and exporting your passwords",
        "Move passwords into Vault, and take them out when you need to.",
        """\
Import

In the app's settings, choose to import, then pick the file. Items are encrypted on your device before they are uploaded.

Export

Exporting from the app's settings writes your vault to a file, stamped with your account ID and key generation. An encrypted export can be imported again into the same account while its key generation is current; after a reset it is obsolete.

If you choose a plain-text export, anyone who gets the file can read every password in it. Keep it on your own device, import it where you need it, and delete it straight afterwards. Never send it to anyone — not even to our support team.
""",
        5,
    ),
    (
        "security",
        "second-factors",
        "Second factors: passkeys, authenticator apps and recovery codes",
        "Add two-step sign-in to your account, and keep your recovery codes safe.",
        """\
A second factor protects your account even if someone learns your Account Password. Add one from your account page:

- A passkey, stored on your phone or computer or on a security key.
- An authenticator app that shows a new six-digit code every 30 seconds.

When you add your first second factor you receive recovery codes. Each works once, instead of your second factor. Print them or store them somewhere safe outside Vault.

Second factors and the account reset

A reset link asks for your second factor or a recovery code. If you lost those too, the reset waits a cooling-off period of 7 days, during which we tell every address and signed-in app about it, and the reset can be cancelled. This keeps someone who got into your mailbox from resetting your account.

Support can see whether you have second factors, never their secrets, and cannot remove them.
""",
        1,
    ),
    (
        "security",
        "what-we-can-see",
        "What Vault can and cannot see",
        "The data we hold about you, and the secrets we never receive.",
        """\
What we can see

- Your e-mail address, account ID, licence, seats and billing history.
- Your devices: name, platform and when they were last seen.
- Your account history: sign-ins, password changes and resets, with the network address and browser they came from.
- Your support tickets and chats.
- How much encrypted data you store, and its key generation.

What we cannot see

- Your Account Password: your device derives a separate key from it and we store only a hash of that key.
- Your account key: we keep only a verifier that lets an app prove it holds the right key.
- Your Encrypted Account Key QR code: it passes through our servers once to be e-mailed, and is then forgotten.
- Anything in your vault: passwords, notes, cards and files are encrypted on your devices.

This is why we cannot recover your vault, and why a reset erases it.
""",
        2,
    ),
    (
        "security",
        "scams-and-support",
        "We will never ask for your password, QR code or recovery codes",
        "How to recognise a fake message from “Vault support”.",
        """\
Nobody at Vault will ever ask you for your Account Password, your password hint, your Encrypted Account Key QR code or your recovery codes — not by e-mail, not in chat, not on the phone. We do not need them to help you, and we cannot use them.

Treat any message that asks for them as a scam, however urgent it sounds. Do not click its links and do not reply.

Our real e-mails link only to this website. Our support agents can look up your account, re-send a reset e-mail to your own address, and answer questions; they can never set a password or see your vault.

If you already shared a secret, change your Account Password from an unlocked app at once: you receive a new QR code. Then write to support.
""",
        3,
    ),
    (
        "licence",
        "billing-and-renewal",
        "Plans, billing and renewal",
        "Free, Premium, Family and Business plans, and where to see your renewal date.",
        """\
Your account page shows your plan, its status and its expiry or renewal date.

- Free: one person, the Vault apps on your devices.
- Premium: one person, with everything the apps offer.
- Family and Business: several seats under one licence.

If a payment fails, your licence shows "Payment overdue" until it is settled. For refunds, receipts and invoices, write to support and choose "Licence and billing".

Your licence is kept apart from your vault: an account reset never changes your plan, your renewal date or your billing history.
""",
        2,
    ),
    (
        "licence",
        "seats",
        "Seats on Family and Business plans",
        "How many people a licence covers, and what each of them keeps private.",
        """\
A Family or Business licence has a number of seats: the number of people it covers. Your account page shows how many seats your licence has.

Each person has their own account, their own Account Password and their own vault. The licence owner pays for the seats but cannot see anyone else's vault, and neither can we.

To add or remove seats, write to support and choose "Licence and billing". An account reset of one person's account does not change the licence or the seats.
""",
        3,
    ),
    (
        "account",
        "close-account",
        "Closing your account",
        "What closing does to your sign-ins, your vault and your licence.",
        """\
When an account is closed, nobody can sign in to it any more: every web session ends and every device is signed out.

Before you close your account

- Export anything you want to keep from an unlocked app: after closing, no app can sign in to fetch it.
- Cancel the renewal of a paid licence if you do not want to be charged again.

What is kept

Your licence and billing history stay on record, as the law and our accounts require. Your vault stays encrypted with a key that only your devices held.

To close your account, write to support from the e-mail address of the account and choose "Something else". A supervisor closes it and the console records who did it.
""",
        2,
    ),
    (
        "account",
        "contact-support",
        "Contacting support",
        "Write to us or chat, and what our agents can and cannot do.",
        """\
Write to us from the help pages (Contact support). We answer by e-mail, usually within one working day; every reply also shows on your request's page. When an agent is online, you can also chat from the help and reset pages.

Tell us your account's e-mail address or account ID, what you tried, and what you see on the screen.

What our agents can do

- Look up your account, licence, devices and reset history.
- Send a pending reset e-mail again, only to your account's own address.
- Answer questions about your licence and billing.

What nobody at Vault can do

- See, recover or set your Account Password, hint, account key or vault.
- Send a reset link to any address but your account's own.

We will never ask for your Account Password, your QR code or your recovery codes. Do not put them in a message.
""",
        3,
    ),
    (
        "account",
        "account-id",
        "Your account ID and account page",
        "Where to find your account ID, licence, devices and key generation.",
        """\
Your account page, at /account/ once you are signed in, shows:

- Your account ID: a short code of letters and digits that identifies your account. Quote it when you write to support; it never changes, not even after a reset.
- Your licence: plan, status, seats and expiry date.
- Your devices, each with "Sign out this device".
- Your key generation: it goes up by one after each account reset.
- Your recent account history and any pending reset request.

Your account ID is also in your Encrypted Account Key QR code, so that an app knows which account a QR code belongs to.
""",
        1,
    ),
]

RELATED = {
    "forgot-account-password": ["account-password-and-hint", "biometric-unlock", "account-reset"],
    "lost-qr-code": ["encrypted-account-key-qr-code", "new-device", "account-reset"],
    "new-device": ["encrypted-account-key-qr-code", "lost-qr-code", "sign-out-everywhere"],
    "account-reset": ["forgot-account-password", "after-a-reset", "key-generation"],
    "after-a-reset": ["account-reset", "backups", "key-generation"],
    "change-password-in-app": [
        "account-password-and-hint",
        "encrypted-account-key-qr-code",
        "biometric-unlock",
    ],
    "backups": ["key-generation", "import-and-export", "after-a-reset"],
    "second-factors": ["account-reset", "scams-and-support", "what-we-can-see"],
    "what-we-can-see": ["zero-knowledge", "scams-and-support", "second-factors"],
    "contact-support": ["scams-and-support", "reset-email-missing", "what-we-can-see"],
    "key-generation": ["backups", "account-reset", "account-id"],
    "lost-or-stolen-device": ["sign-out-everywhere", "change-password-in-app", "new-device"],
    "install-and-first-sign-in": ["encrypted-account-key-qr-code", "biometric-unlock", "second-factors"],
    "licence-and-reset": ["billing-and-renewal", "seats", "account-reset"],
    "close-account": ["import-and-export", "billing-and-renewal", "contact-support"],
}

# Other words people search with (weighted like the title). Added to the articles of 0003 too:
# their own words stay as they were.
KEYWORDS = {
    "account-reset": "reset my account, start over, erase vault, locked out everywhere",
    "forgot-account-password": "forgotten password, cannot remember password, locked out",
    "lost-qr-code": "missing QR code, no QR code, QR e-mail deleted",
    "new-device": "new phone, new computer, add a device, set up another device",
    "encrypted-account-key-qr-code": "QR code e-mail, scan",
    "key-generation": "obsolete, generation number",
    "close-account": "delete account, cancel account, remove my data",
    "second-factors": "two-step verification, 2FA, MFA, authenticator app, passkey",
    "biometric-unlock": "Face ID, Touch ID, fingerprint, Windows Hello",
    "lost-or-stolen-device": "lost phone, stolen phone, lost laptop",
    "backups": "restore backup, old backup refused",
    "billing-and-renewal": "invoice, refund, payment, price",
    "contact-support": "help, contact us, ticket, chat",
    "scams-and-support": "phishing, fake e-mail, scam",
    "what-we-can-see": "privacy, data we store, zero-knowledge",
}


def seed(apps, schema_editor):
    Category = apps.get_model("support", "ArticleCategory")
    Article = apps.get_model("support", "Article")
    categories = {c.slug: c for c in Category.objects.all()}
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
    for slug, keywords in KEYWORDS.items():
        Article.objects.filter(slug=slug, keywords="").update(keywords=keywords)
    articles = {a.slug: a for a in Article.objects.all()}
    for slug, others in RELATED.items():
        if slug in articles:
            articles[slug].related.add(*(articles[o] for o in others if o in articles))
    index_rebuild(using=schema_editor.connection.alias if schema_editor else None)


def unseed(apps, schema_editor):
    apps.get_model("support", "Article").objects.filter(slug__in=[a[1] for a in ARTICLES]).delete()
    apps.get_model("support", "ArticleCategory").objects.filter(
        slug__in=[c[0] for c in CATEGORIES], articles__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0005_article_search_index")]

    operations = [migrations.RunPython(seed, unseed)]
