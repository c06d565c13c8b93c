from django.conf import settings
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from accounts import urls as accounts_urls
from accounts.views import password_change_explainer, signup

from . import views

# allauth's password-reset, password-change and e-mail management pages are never offered: a reset that keeps
# the vault is impossible in a zero-knowledge product (see the resets app).
allauth_replaced = [
    # allauth's sign-up answered a taken address faster than a free one (issue 14): ours runs
    # the same flow for both (accounts.adapters.AccountAdapter.signup_form_valid).
    path("accounts/signup/", signup, name="account_signup"),
    path(
        "accounts/password/reset/",
        RedirectView.as_view(url=reverse_lazy("resets:notice")),
        name="password_reset_replaced",
    ),
    path("accounts/password/reset/<path:rest>", RedirectView.as_view(url=reverse_lazy("resets:notice"))),
    path("accounts/password/change/", password_change_explainer, name="password_change_replaced"),
    path("accounts/password/set/", password_change_explainer),
    # allauth's e-mail management let a web session alone add, verify and make primary an
    # attacker's address (issue 14). Our own e-mail change (accounts app) replaces it.
    path("accounts/email/", views.not_found, name="email_management_replaced"),
    path("accounts/email/<path:rest>", views.not_found),
]

# The account overview composes several apps, so it is a portal view under the accounts namespace.
account_pages = [path("", views.account_home, name="home"), *accounts_urls.urlpatterns]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    *allauth_replaced,
    path("accounts/", include("allauth.urls")),
    path(
        "account/",
        include(([path("", views.account_home, name="home"), *accounts_urls.urlpatterns], "accounts")),
    ),
    path("reset/", include("resets.urls")),
    path("proof/", include("proofs.urls")),
    path("chat/", include("chat.urls")),
    path("support/chat/", include("chat.agent_urls")),
    path("support/", include("support.urls")),
    path("help/", include("support.help_urls")),
    path("forums/", include("forums.urls")),
    path("api/v1/", include("api.urls")),
]

if settings.ANYMAIL_PROVIDER or settings.INBOUND_EMAIL_WEBHOOK:
    # Delivery events (delivered, bounced, …) from the e-mail provider feed the outbox status;
    # inbound mail (replies to ticket e-mails) reaches support/inbound.py.
    urlpatterns.append(path("anymail/", include("anymail.urls")))

if settings.DEBUG:
    urlpatterns.append(path("dev/outbox/", include("mailer.urls")))

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"
