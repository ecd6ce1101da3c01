"""The language check as you type: the flags in a text, in JSON, for ``language.mjs``.

The page's script posts the text of one field and the discussion's procedure; the answer
is the flags (each with why and what to write instead) and the same flags as the page
shows them under the field. Only signed-in users may ask (CSRF-protected, rate-limited);
it checks the text it is sent and reads no case data, so nothing is audited.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from strategise.discussions.language import language_flags
from strategise.policy.citations import cite
from strategise.problems import Problem
from strategise.web.limits import language_rate_limited
from strategise.web.users import current_user


@require_POST
def language_check(request: HttpRequest) -> HttpResponse:
    """The flags in the posted ``text`` under the procedure ``profile``."""
    user = current_user(request)
    refused = language_rate_limited(request, user.pk)
    if refused is not None:
        return refused
    try:
        flags = language_flags(
            text=request.POST.get("text", ""), profile=request.POST.get("profile", "")
        )
    except Problem as problem:
        field, message = problem.errors[0]
        return JsonResponse({"error": message, "field": field}, status=400)
    return JsonResponse(
        {
            "flags": [{**flag.to_dict(), "source": cite(flag.source)} for flag in flags],
            "html": render_to_string("web/language_flags.html", {"flags": flags}, request=request),
        }
    )
