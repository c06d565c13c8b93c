"""Forum search and the suggestions shown while a new topic's title is typed."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.errors import error_response
from core.origin import Origin

from .. import limits, selectors
from .. import search as forum_search
from ..forms import SearchForm
from .common import rate_limited


@require_GET
def search(request):
    form = SearchForm(request.GET)
    found, query = None, ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        if limits.search_limited(ip=Origin.from_request(request).ip):
            return rate_limited(request)
        found = forum_search.topic_search(query, user=request.user)
    topics = found.topics if found else []
    return render(
        request,
        "forums/search.html",
        {
            "form": form,
            "query": query,
            "search": found,
            "results": topics,
            "names": selectors.display_names(t.author_id for t in topics),
        },
        status=200 if form.is_valid() else 400,
    )


@require_GET
def suggest(request):
    """JSON for the new-topic page: knowledge-base articles and solved topics like the title typed."""
    if limits.suggest_limited(ip=Origin.from_request(request).ip):
        return error_response("rate_limited", "Too many suggestions asked for; wait a minute.", status=429)
    title = (request.GET.get("q") or "")[: settings.FORUMS_TITLE_MAX_CHARS]
    found = selectors.title_suggestions(title, user=request.user)
    return JsonResponse(
        {
            "articles": [
                {"title": a.title, "url": reverse("help:article", args=[a.slug])} for a in found["articles"]
            ],
            "topics": [
                {"title": t.title, "url": reverse("forums:topic", args=[t.pk])} for t in found["topics"]
            ],
        }
    )
