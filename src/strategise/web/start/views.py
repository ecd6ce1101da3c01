"""The service's public pages, open without signing in.

Views parse input, call the policy engine, render.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from strategise.organisations.selectors import demo_sign_ins
from strategise.policy import triage, vocabulary
from strategise.web.start.forms import TriageForm


@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    """The start page: what Strategise is and what it does, the way to sign in and, in the
    demo (``STRATEGISE_DEMO_SIGN_IN``, with the demo loaded), how to sign in as each role."""
    demo = demo_sign_ins() if settings.STRATEGISE_DEMO_SIGN_IN else None
    return render(
        request,
        "web/start/start.html",
        {"demo": demo, "demo_password": settings.STRATEGISE_DEMO_PASSWORD if demo else ""},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def triage_page(request: HttpRequest) -> HttpResponse:
    """Try triage: the form, or the answer the local procedure gives for the facts."""
    form = TriageForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        answer = triage(form.to_facts())
        profile_titles = {profile.name: profile.title for profile in form.profiles}
        return render(
            request,
            "web/start/triage_answer.html",
            {
                "answer": answer.to_dict(),
                "profile_title": profile_titles[answer.profile],
                "vocabulary": vocabulary,
            },
        )
    return render(
        request,
        "web/start/triage.html",
        {
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )
