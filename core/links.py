"""Pages that e-mailed links open: no Referer, no cache, and the token moved into the session."""

from functools import wraps

from django.shortcuts import redirect
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET


def private_page(referrer_policy: str):
    """Send the view's response with `referrer_policy` and keep it out of every cache."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response["Referrer-Policy"] = referrer_policy
            response["Cache-Control"] = "no-store"
            return response

        return wrapper

    return decorator


# The URL holds the token: send no Referer at all, and keep it out of every cache.
token_page = private_page("no-referrer")
# The token is in the session, not the URL. Not "no-referrer": under that policy browsers send
# `Origin: null` with the page's own form POSTs, which Django's CSRF check rightly refuses (403).
# "same-origin" still sends nothing to other sites, and to us only the token-less path.
session_token_page = private_page("same-origin")


def token_landing(session_key: str, next_url: str):
    """Make the view an e-mailed link opens: keep its token in the session, drop it from the URL."""

    @token_page
    @sensitive_variables("token")
    @require_GET
    def view(request, token: str):
        # A new session key first: a key planted by someone else (fixation) must never hold it.
        request.session.cycle_key()
        request.session[session_key] = token
        return redirect(next_url)

    return view
