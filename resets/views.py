"""Account reset pages."""

from django.shortcuts import render


def notice(request):
    """Explain what a reset destroys before anything else."""
    return render(request, "resets/notice.html")
