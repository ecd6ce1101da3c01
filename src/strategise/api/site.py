"""The API itself: its routers, its errors as problem details, its OpenAPI document and
docs page, and its URLs (``/api/v1/``).

The API's URLs are open to a visitor (``login_not_required``): they are authenticated by
bearer token, never by the session, and each operation says which scope it needs. The
docs page is Swagger UI from the site's own static files (ninja ships them), so nothing
is fetched from elsewhere and the site's Content Security Policy holds.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from strategise.api import (
    actions,
    children,
    clocks,
    disagreements,
    discussions,
    invitations,
    minutes,
    oauth,
    people,
    records,
    requests,
)
from strategise.api.problems import MEDIA_TYPE, ApiError, ProblemDetails, problem_response
from strategise.audit.models import SecurityAction
from strategise.audit.services import audit_security_event
from strategise.organisations.models import User
from strategise.problems import Problem

logger = logging.getLogger(__name__)

# The names a body or query schema is given in the endpoints: a field's location is
# reported without them ("children", not "body.body.children").
PARAMETER_NAMES = {"body", "filters", "grant", "pk"}
ERRORS = {
    400: "The body could not be read (not JSON, or not a form)",
    401: "No bearer token, or one that is wrong, expired or revoked",
    403: "The token's scope, or the access rules, do not allow this",
    404: "Not found, or not one you may see",
    422: "Something in the request is wrong: each field named",
}


class Api(NinjaAPI):
    """A NinjaAPI whose OpenAPI document says every error is problem details."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        problem = {"$ref": "#/components/schemas/ProblemDetails"}
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ProblemDetails", _problem_schema(components))
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                # Ninja keys its own statuses by number: one key per status, as text.
                responses: dict[str, Any] = {
                    str(code): answer for code, answer in operation.get("responses", {}).items()
                }
                operation["responses"] = responses
                wanted = [422]
                if operation.get("security"):
                    wanted += [401, 403]
                if "{pk}" in path:
                    wanted.append(404)
                if "requestBody" in operation:
                    wanted.append(400)
                for status in wanted:
                    responses.setdefault(str(status), {"description": ERRORS[status]})
                for code, answer in responses.items():
                    if int(code) >= 400:
                        answer["content"] = {MEDIA_TYPE: {"schema": problem}}
        return schema


def _problem_schema(components: dict[str, Any]) -> dict[str, Any]:
    found = ProblemDetails.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in found.pop("$defs", {}).items():
        components.setdefault(name, definition)
    return found


api = Api(
    title="Strategise API",
    version="1",
    description=(
        "Strategy discussions for the case systems around Strategise: the same records, "
        "under the same access rules, as the pages. See docs/api.md."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", oauth.router)
api.add_router("", children.router)
api.add_router("", requests.router)
api.add_router("", discussions.router)
api.add_router("", actions.router)
api.add_router("", people.router)
api.add_router("", clocks.router)
api.add_router("", invitations.router)
api.add_router("", records.router)
api.add_router("", minutes.router)
api.add_router("", disagreements.router)


def _field(location: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in list(location)[1:] if str(part) not in PARAMETER_NAMES]
    return ".".join(parts) or str(location[-1])


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
    return problem_response(request, error)


@api.exception_handler(Problem)
def _problem(request: HttpRequest, problem: Problem) -> HttpResponse:
    return problem_response(request, ApiError(422, str(problem), errors=problem.errors))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, invalid: ValidationError) -> HttpResponse:
    errors: list[tuple[str | None, str]] = [
        (
            _field(error.get("loc", ())),
            str(error.get("msg", "Not valid")).removeprefix("Value error, "),
        )
        for error in invalid.errors
    ]
    first = errors[0][1] if errors else "The request is not valid"
    return problem_response(request, ApiError(422, first, errors=errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        ApiError(
            401,
            "Send a bearer token that is live: see docs/api.md for making one",
            headers={"WWW-Authenticate": 'Bearer realm="strategise"'},
        ),
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    user = getattr(request, "user", None)
    if isinstance(user, User):
        # As the pages' AuditMiddleware does: who was refused, and which path (only).
        audit_security_event(
            action=SecurityAction.ACCESS_REFUSED,
            user=user,
            detail={"path": request.path, "method": request.method, "api": True},
        )
    return problem_response(request, ApiError(404, "Not found, or not one you may see"))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return problem_response(request, ApiError(error.status_code, str(error)))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    # Logged with its traceback for the operator; the client gets no detail of it.
    logger.exception("API error on %s %s", request.method, request.path)
    return problem_response(request, ApiError(500, "Something went wrong: try again later"))


def _open(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API's URLs, marked open to visitors: the bearer token is their sign-in."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
    return patterns


def urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = api.urls
    return _open(patterns), app_name, namespace
