"""A member's forum profile: display name and follows."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.pagination import page_of

from .. import selectors
from ..forms import ProfileForm
from ..services import posting


@require_http_methods(["GET", "POST"])
def profile(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    current = posting.profile_get_or_create(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                posting.profile_rename(user=request.user, display_name=form.cleaned_data["display_name"])
            except posting.ForumError as error:
                form.add_error("display_name", str(error))
            else:
                return redirect("forums:profile")
    else:
        form = ProfileForm(initial={"display_name": current.display_name})
    follows = page_of(request, selectors.follows_of(request.user), settings.FORUMS_TOPICS_PER_PAGE)
    return render(request, "forums/profile.html", {"form": form, "profile": current, "follows": follows})
