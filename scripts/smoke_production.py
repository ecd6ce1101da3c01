"""Production smoke test: Strategise as docs/deploy.md runs it, on this machine.

On a fresh database it migrates, loads the demo (which needs DJANGO_DEBUG=1, so that step
alone runs with it), collects the static files and runs ``check --deploy``; then, with
DJANGO_DEBUG=0, serves the site with gunicorn (two workers, a loopback port) beside an RQ
worker on Redis, and an SMTP server of its own on loopback that keeps what it is sent.
Acting as the TLS proxy (it sends ``X-Forwarded-Proto: https`` and each client's address
in ``X-Forwarded-For``), it signs in as every demo
role (password, then the second factor, once) and GETs every URL pattern in the URLconf,
its arguments filled from the demo's objects, but for the POST-only ones (buttons); then
raises one request through the form and runs the clock tick for it on the RQ worker, until
the tick's alert arrives by email.

Each answer must be what the access matrix (tests/web/access_matrix.py, which
tests/web/test_access.py proves route by route) says that kind of user gets: 200 for each
page they may open, 404 for what is out of their scope or matches nothing, 302 only for
the pages that are redirects by design. A server error, or the second factor asked again
of a signed-in session, fails the run. It prints each account's answers by status. Last,
wrong passwords from two other clients lock a username and an address, across both
workers, while a third client still signs in.

    .venv/bin/python scripts/smoke_production.py \\
        --database-url postgres://postgres@127.0.0.1:5432/strategise_smoke

The database must be new and empty. The Redis databases --redis-url (the queue) and
--cache-url (Django's cache, where the private links' rate limits are counted) name are
emptied first.
Everything it starts it stops, and it gives up after --timeout seconds.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import html
import http.client
import itertools
import os
import re
import secrets
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
# What each account should get is the test suite's access matrix (tests/web/access_matrix.py).
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# docs/demo.md: every demo account's password, public on purpose.
PASSWORD = "strategise-demo-2026"  # noqa: S105
ROLES = [
    "sw",
    "csw",
    "dtm",
    "tm",
    "dsm",
    "sm",
    "po",
    "hos",
    "director",
    "police",
    "health",
    "education",
    "housing",
    "bs",
    "analyst",
    "admin",
]
AUTHORITIES = ["national", "birmingham", "bristol", "sandwell", "gloucestershire", "pcc"]
VALUES_PER_ARGUMENT = 4
MISSING_INT, MISSING_TEXT = "999999", "smoke-missing"


class SmokeFailure(Exception):
    """The smoke test found something wrong; the message says what."""


STARTED = time.monotonic()


def say(text: str) -> None:
    print(f"smoke: [{time.monotonic() - STARTED:4.0f}s] {text}", flush=True)


# --- processes ----------------------------------------------------------------------------


@dataclass
class Services:
    """The processes the smoke test starts, each in its own process group, and their logs."""

    folder: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own command lines
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def check_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise SmokeFailure(
                    f"{name} stopped (exit {process.returncode}):\n{self.tail(name)}"
                )

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.folder / f"{name}.log"
        return (
            "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
            if path.exists()
            else ""
        )

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


def run_step(title: str, command: list[str], env: dict[str, str], timeout: float = 600) -> str:
    say(title)
    try:
        result = subprocess.run(  # noqa: S603 - our own command lines
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise SmokeFailure(f"{title}: still running after {timeout:.0f} seconds") from None
    if result.returncode != 0:
        raise SmokeFailure(
            f"{title} failed (exit {result.returncode}):\n{result.stdout}{result.stderr}"
        )
    return result.stdout + result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# --- an SMTP server that keeps what it is sent -------------------------------------------


class Mailbox(socketserver.ThreadingTCPServer):
    """Just enough SMTP (RFC 5321, no TLS: it listens on loopback only) to receive mail."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages: list[bytes] = []
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        port: int = self.server_address[1]
        return port

    def message_ids(self) -> Counter[str]:
        with self.lock:
            return Counter(
                str(message_from_bytes(raw).get("Message-ID", "")).strip() for raw in self.messages
            )


class _SMTPHandler(socketserver.StreamRequestHandler):
    server: Mailbox

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self._reply("220 smoke ESMTP")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self._reply("250-smoke")
                self._reply("250 8BITMIME")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (part := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(part[1:] if part.startswith(b"..") else part)
                with self.server.lock:
                    self.server.messages.append(b"".join(lines))
                self._reply("250 OK: queued")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("250 OK")


# --- a browser that speaks through the "TLS proxy" ----------------------------------------


@dataclass
class Answer:
    status: int
    location: str
    body: str
    content_type: str = ""


# The address the walk's people come from (a documentation range, RFC 5737).
CLIENT = "198.51.100.10"


class Browser:
    """One person's session: cookies kept, every request marked as arriving over HTTPS from
    ``client``, as the TLS proxy would forward it."""

    def __init__(self, port: int, client: str = CLIENT) -> None:
        self.port = port
        self.client = client
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        form: list[tuple[str, str]] | None = None,
        bearer: str = "",
    ) -> Answer:
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.client,
            "Accept-Encoding": "identity",
        }
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        if self.cookies and not bearer:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}{path}",
            }
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # gunicorn closes kept-alive connections when a worker recycles: reconnect.
                self.connection.close()
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        return Answer(
            response.status,
            response.headers.get("Location", ""),
            content.decode(errors="replace"),
            response.headers.get("Content-Type", ""),
        )

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: list[tuple[str, str]]) -> Answer:
        return self.request("POST", path, form)


class FormReader(HTMLParser):
    """The fields of the first form on a page whose action matches, with their values."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self.options: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form" and not self.done and found.get("action", "") in {"", self.action}:
            if found.get("method", "get").lower() == "post":
                self.inside = True
        if not self.inside or "name" not in found:
            return
        name, kind = found["name"], found.get("type", "text")
        if tag == "input" and kind in {"checkbox", "radio"}:
            self.options.setdefault(name, []).append(found.get("value", "on"))
            if "checked" in found:
                self.fields.append((name, found.get("value", "on")))
        elif tag == "input" and kind not in {"submit", "button"}:
            self.fields.append((name, found.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        raise SmokeFailure("no CSRF token on the page")
    return found.group(1)


def error_summary(page: str) -> str:
    if "govuk-error-summary" not in page:
        return "no error summary"
    summary = page.split("govuk-error-summary", 1)[1].split("</ul>", 1)[0]
    return "; ".join(
        html.unescape(re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(r"<li>(.*?)</li>", summary, re.S)
    )


# --- signing in ---------------------------------------------------------------------------


# The last 30-second step whose code each account used: a code works once per account.
_STEPS_USED: dict[str, int] = {}
STEP_SECONDS = 30


def answer_second_factor(browser: Browser, location: str, username: str) -> Answer:
    """Answer the second-factor page at ``location`` with the demo's authenticator-app code
    (every demo account shares the published secret: strategise.demo.second_factor)."""
    from strategise.demo.second_factor import demo_code

    step = int(time.time()) // STEP_SECONDS
    if _STEPS_USED.get(username) == step:
        # This account used this step's code already: wait for the next one.
        time.sleep(STEP_SECONDS - time.time() % STEP_SECONDS + 1)
        step = int(time.time()) // STEP_SECONDS
    _STEPS_USED[username] = step
    page = browser.get(location)
    form = [
        ("csrfmiddlewaretoken", csrf_token(page.body)),
        ("code", demo_code(datetime.now(UTC))),
    ]
    return browser.post(location, form)


def sign_in(browser: Browser, username: str, urls: dict[str, str]) -> None:
    """Sign in as a person does: the password, then, on the way to My work, the second
    factor. Signed in means My work answers 200, the second factor answered once."""
    page = browser.get(urls["sign-in"])
    form = [
        ("csrfmiddlewaretoken", csrf_token(page.body)),
        ("username", username),
        ("password", PASSWORD),
    ]
    answer = browser.post(urls["sign-in"], form)
    where, answered = urls["sign-in"], 0
    # The password's redirect to My work; My work's to the second factor; its back to My work.
    for _hop in range(5):
        if answer.status != 302:
            break
        where = answer.location
        if urlsplit(where).path == urls["second-factor"]:
            if answered:
                raise SmokeFailure(
                    f"signing in as {username}: the second factor, answered, was asked again"
                )
            answer, answered = answer_second_factor(browser, where, username), 1
        else:
            answer = browser.get(where)
    if answer.status != 200 or urlsplit(where).path != urls["my-work"] or not answered:
        raise SmokeFailure(
            f"signing in as {username} ended at {answer.status} {where}, not My work "
            f"({error_summary(answer.body)}); "
            + ("the second factor was answered" if answered else "no second factor was asked")
        )
    # Signed in with both factors, My work itself opens (not the second factor again).
    work = browser.get(urls["my-work"])
    if work.status != 200:
        raise SmokeFailure(
            f"signed in as {username}, My work answered {work.status} "
            f"{work.location or '(no redirect)'}, not the page"
        )


# --- the URLconf, filled from the demo's objects ------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    arguments: tuple[str, ...]


def url_patterns() -> list[Pattern]:
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[Pattern] = []

    def walk(patterns: list[Any], namespaces: list[str], prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                space = [*namespaces, entry.namespace] if entry.namespace else namespaces
                walk(entry.url_patterns, space, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                if namespaces[:1] == ["api"]:
                    # The API takes bearer tokens, not the session: api_walk asks it.
                    continue
                name = ":".join([*namespaces, entry.name]) if entry.name else ""
                arguments = tuple(entry.pattern.regex.groupindex)
                found.append(Pattern(name, prefix + str(entry.pattern), arguments))

    walk(get_resolver().url_patterns, [], "/")
    return found


def _pks(queryset: Any) -> list[str]:
    return [str(pk) for pk in queryset.values_list("pk", flat=True)[:VALUES_PER_ARGUMENT]]


def argument_values(pattern: Pattern, authority: Any, user: Any) -> list[dict[str, str]]:
    """Each set of arguments to open the pattern with: the demo's objects in the authority;
    a number or name that matches nothing where the demo has no such object."""
    from django.contrib import admin

    from strategise.actions.models import Action
    from strategise.cases.models import Adult, Child, Household
    from strategise.disagreements.models import Disagreement
    from strategise.discussions.models import Discussion, Invitation
    from strategise.network.models import PatternAlert
    from strategise.notifications.models import Notification
    from strategise.reports.selectors import FIGURES
    from strategise.requests.models import StrategyRequest

    if not pattern.arguments:
        return [{}]
    top = pattern.route.strip("/").split("/")[0]
    if pattern.name.startswith("admin:"):
        if pattern.arguments == ("app_label",):
            labels = sorted({model._meta.app_label for model in admin.site._registry})
            return [{"app_label": label} for label in labels]
        registered = {
            f"admin:{model._meta.app_label}_{model._meta.model_name}_": model
            for model in admin.site._registry
            if model._meta.managed  # django-rq's dashboard is a page, not a table
        }
        model = next(
            (model for prefix, model in registered.items() if pattern.name.startswith(prefix)),
            None,
        )
        if pattern.arguments == ("object_id",) and model is not None:
            return [{"object_id": pk} for pk in _pks(model._default_manager.order_by("pk"))] or [
                {"object_id": MISSING_INT}
            ]
        return [dict.fromkeys(pattern.arguments, MISSING_INT)]
    roots: dict[str, Any] = {
        "children": Child.objects.filter(local_authority=authority),
        "adults": Adult.objects.filter(local_authority=authority),
        "households": Household.objects.filter(local_authority=authority),
        "requests": StrategyRequest.objects.filter(local_authority=authority),
        "discussions": Discussion.objects.filter(local_authority=authority),
        "actions": Action.objects.filter(discussion__local_authority=authority),
        "disagreements": Disagreement.objects.filter(local_authority=authority),
        "notifications": Notification.objects.filter(user=user),
        "patterns": PatternAlert.objects.filter(local_authority=authority),
    }
    first, *rest = pattern.arguments
    if first == "token":
        invitations = Invitation.objects.filter(discussion__local_authority=authority)
        tokens = list(invitations.order_by("pk").values_list("token", flat=True))
        # Each page of a private link (its reply, deputy and report pages) gets links of its
        # own, so that every account walking them stays within one link's rate limit
        # (STRATEGISE_LINK_RATE counts each page of a link against it).
        linked = sorted(p.name for p in url_patterns() if p.arguments[:1] == ("token",))
        start = 2 * linked.index(pattern.name) if pattern.name in linked else 0
        own = [tokens[(start + i) % len(tokens)] for i in range(min(2, len(tokens)))]
        return [{"token": token} for token in own]
    if first == "slug":
        return [{"slug": slug} for slug in FIGURES]
    parents = _pks(roots[top]) if top in roots and first == "pk" else [MISSING_INT]
    combinations: list[dict[str, str]] = []
    for parent in parents:
        choices = [_nested(top, parent, name) for name in rest]
        for chosen in itertools.islice(itertools.product(*choices), VALUES_PER_ARGUMENT):
            combinations.append({first: parent, **dict(zip(rest, chosen, strict=True))})
    return combinations or [{first: MISSING_INT}]


def _nested(top: str, parent: str, name: str) -> list[str]:
    from strategise.discussions.models import Discussion, WrittenReport

    if name == "kind":
        return ["pdf", "docx"]
    if top == "children" and parent != MISSING_INT and name in ("adult", "sibling"):
        return _people_of(parent, name) or [MISSING_INT]
    if top != "discussions" or parent == MISSING_INT:
        return [MISSING_INT]
    discussion = Discussion.objects.get(pk=parent)
    related = {
        "invitation_pk": discussion.invitations.all(),
        "child_pk": discussion.request.children.all(),
        "recipient_pk": discussion.recipients.all(),
        "clock_pk": discussion.clocks.all(),
        "report_pk": WrittenReport.objects.filter(invitation__discussion=discussion),
    }
    if name == "number":
        numbers = discussion.minutes.values_list("number", flat=True)[:VALUES_PER_ARGUMENT]
        return [str(number) for number in numbers] or [MISSING_INT]
    return (_pks(related[name]) if name in related else []) or [MISSING_INT]


def _people_of(child: str, name: str) -> list[str]:
    """The adults linked to a demo child, or the children recorded as their siblings."""
    from django.db.models import Q

    from strategise.cases.models import ChildAdultLink, SiblingLink

    if name == "adult":
        adults = ChildAdultLink.objects.filter(child_id=child).values_list("adult_id", flat=True)
        return [str(pk) for pk in sorted(set(adults))[:VALUES_PER_ARGUMENT]]
    pairs = SiblingLink.objects.filter(Q(child_id=child) | Q(sibling_id=child)).values_list(
        "child_id", "sibling_id"
    )
    others = {pk for pair in pairs for pk in pair} - {int(child)}
    return [str(pk) for pk in sorted(others)[:VALUES_PER_ARGUMENT]]


def paths_for(
    patterns: list[Pattern], authority: Any, user: Any
) -> Iterator[tuple[str, str, bool]]:
    """(pattern, path, whether an argument matches nothing) for each pattern this user
    should try, arguments filled in."""
    from django.urls import NoReverseMatch, reverse

    for pattern in patterns:
        if pattern.name.startswith("admin:") or pattern.route.startswith("/admin/"):
            if not user.is_staff and pattern.name != "admin:index":
                continue
        if not pattern.name:
            # Unnamed (the admin's redirects): its converters filled with what matches nothing.
            path = re.sub(r"<(?:(\w+):)?\w+>", _placeholder, pattern.route)
            if "(?P<" not in path:
                yield pattern.route, path, True
            continue
        for arguments in argument_values(pattern, authority, user):
            try:
                path = reverse(pattern.name, kwargs=arguments or None)
            except NoReverseMatch:
                continue
            yield pattern.name, path, bool({MISSING_INT, MISSING_TEXT} & set(arguments.values()))


def _placeholder(found: re.Match[str]) -> str:
    return MISSING_INT if found.group(1) == "int" else MISSING_TEXT


# --- the run ------------------------------------------------------------------------------


def environment(
    args: argparse.Namespace, folder: Path, port: int, smtp_port: int
) -> dict[str, str]:
    names = ("DJANGO_", "EMAIL_", "STRATEGISE_", "REDIS_URL", "DATABASE_URL")
    kept = {key: value for key, value in os.environ.items() if not key.startswith(names)}
    return kept | {
        "DJANGO_SETTINGS_MODULE": "strategise.config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "STRATEGISE_AUDIT_KEY": secrets.token_urlsafe(48),
        # A Fernet key (32 random bytes, URL-safe base64), as docs/deploy.md makes one.
        "STRATEGISE_FIELD_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DATABASE_URL": args.database_url,
        "DJANGO_TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "REDIS_URL": args.redis_url,
        "DJANGO_CACHE_URL": args.cache_url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",  # loopback only; docs/deploy.md keeps TLS on for a real relay
        "DJANGO_DEFAULT_FROM_EMAIL": "strategise@smoke.invalid",
        "STRATEGISE_BASE_URL": f"https://127.0.0.1:{port}",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def wait_until(what: str, seconds: float, services: Services, ready: Any) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        services.check_running()
        if answer := ready():
            return answer
        time.sleep(0.5)
    raise SmokeFailure(f"{what}: not within {seconds:.0f} seconds")


def serving(port: int) -> bool:
    try:
        return Browser(port).get("/").status == 200
    except OSError:
        return False


@dataclass
class Walk:
    """What the walk found: each account's answers by status, and what was wrong."""

    answers: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    opened: set[str] = field(default_factory=set)
    # Answers no column of the access matrix speaks for (200 or 404 accepted).
    unmatched: int = 0


def judge(
    user: Any, name: str, path: str, missing: bool, answer: Answer, urls: dict[str, str]
) -> tuple[str | None, bool]:
    """What is wrong with ``answer`` to a GET of ``path`` (route ``name``) as ``user``, if
    anything, and whether the access matrix had a column for it.

    The matrix (tests/web/access_matrix.py, proved route by route by tests/web/test_access.py)
    says what each kind of user gets; ``relation`` says which kind this user is to what the
    path opens. A path with an argument that matches nothing is not found. Django's admin
    site keeps its own rules: there, only a server error is wrong. Nowhere is the second
    factor asked again (the set-up page sends those who have one to it, by design).
    """
    from tests.web.access_matrix import GONE, OK, get_rows, relation

    from strategise import access

    if answer.status >= 500:
        return f"{answer.status}, a server error", True
    asked = urlsplit(answer.location).path == urls["second-factor"]
    if asked and name != "web:second-factor-set-up":
        return "asked for the second factor again", True
    if name.startswith(("admin:", "/admin/")):
        return None, True
    row = get_rows().get(name)
    if row is None:
        return "no row in the access matrix (tests/web/access_matrix.py)", True
    column = None if missing else relation(user, path)
    if missing and name in SAYS_THE_LINK_DOES_NOT_WORK:
        wanted, why = {OK}, "a link that does not work says so"
    elif missing:
        wanted, why = {GONE}, "an argument matches nothing"
    elif column is None:
        wanted, why = {OK, GONE}, "no column of the access matrix fits"
    else:
        wanted, why = {row[column]}, f"as {column} in the access matrix"
        if name in ANSWERS_BY_STATE and row[column] == OK:
            # The demo's year leaves objects in every state: what this one is in decides.
            extra, because = ANSWERS_BY_STATE[name]
            wanted, why = wanted | extra, f"{why}, or {because}"
        elif name in OPEN_TO_ITS_PART and row[column] == GONE:
            extra, because = OPEN_TO_ITS_PART[name]
            wanted, why = wanted | extra, f"{why}, or {because}"
        elif name in OPEN_BY_GRADE and getattr(access, OPEN_BY_GRADE[name][0])(user):
            wanted, why = {OK}, OPEN_BY_GRADE[name][1]
    if answer.status in wanted:
        return None, missing or column is not None
    redirect = f" to {answer.location}" if answer.location else ""
    expected = " or ".join(str(status) for status in sorted(wanted))
    return f"{answer.status}{redirect}, not {expected} ({why})", missing or column is not None


# A forgotten password's link that matches no account or token answers with a page saying
# the link does not work (and how to ask for another), not "not found".
SAYS_THE_LINK_DOES_NOT_WORK = {"web:password-reset-confirm"}

# Pages whose answer depends on the state of the object as well as on who asks (the matrix
# proves who may, on objects in the state that allows it; tests/web prove each state's
# answer): a clock already met or stopped cannot be marked met, only a draft's wording is
# edited, and a private link of a discussion that has ended is gone (410).
ANSWERS_BY_STATE: dict[str, tuple[set[int], str]] = {
    "web:clock-met": ({404}, "404 for a clock no longer open"),
    "web:minutes-wording": ({404}, "404 for minutes no longer a draft"),
    "web:invitation": ({410}, "410 once the discussion has ended"),
    "web:invitation-identity": ({410}, "410 once the discussion has ended"),
    "web:invitation-deputy": ({410}, "410 once the discussion has ended"),
    "web:invitation-report": ({410}, "410 once the discussion has ended"),
}
# Pages open to whoever has a part in the discussion that the matrix's columns do not
# model: a distribution line is its minute-taker's too (the demo's business support
# officer takes some discussions' minutes).
OPEN_TO_ITS_PART: dict[str, tuple[set[int], str]] = {
    "web:recipient": ({200}, "200 for the discussion's minute-taker"),
}

# Pages open by grade, which the matrix's columns do not model: the access module's own rule
# decides (tests/web/network proves it grade by grade).
OPEN_BY_GRADE: dict[str, tuple[str, str]] = {
    "web:network-settings": (
        "may_set_network",
        "200 for an administrator, or a head of service or director of social care",
    ),
    "web:people-import": (
        "may_import_people",
        "200 for a head of service or director of social care",
    ),
}


def walk(port: int, patterns: list[Pattern], authorities: list[str], urls: dict[str, str]) -> Walk:
    """Sign in as each demo role and GET every page it may try: POST-only routes (buttons,
    refused to a GET) are not asked for."""
    from tests.web.access_matrix import post_only_routes

    from strategise.organisations.models import User

    # The admin site's sign-out is a button too.
    buttons = post_only_routes() | {"admin:logout"}
    found = Walk()
    for number, (slug, role) in enumerate(itertools.product(authorities, ROLES)):
        user = User.objects.select_related("agency__local_authority").get(username=f"{role}.{slug}")
        authority = user.agency.local_authority if user.agency else None
        # Each person from an address of their own, as people are: the private links' limit
        # per address (STRATEGISE_LINK_RATE) is for one client, not the whole walk.
        browser = Browser(port, client=f"198.51.100.{10 + number % 240}")
        sign_in(browser, user.username, urls)
        SIGNED_IN[user.username] = browser
        answers = found.answers.setdefault(user.username, Counter())
        for name, path, missing in paths_for(patterns, authority, user):
            found.opened.add(name)
            if name in buttons:
                answers["POST only"] += 1
                continue
            answer = browser.get(path)
            answers[str(answer.status)] += 1
            problem, matched = judge(user, name, path, missing, answer, urls)
            found.unmatched += not matched
            if problem:
                found.failures.append(f"{user.username}: GET {path}: {problem}")
        say(f"{user.username}: {summary(answers)}")
    return found


# The API's operations a token holder reads (tests/api/test_access.py holds each to its
# matrix); each demo account asks each, and the answer must be JSON, never a server error.
API_LISTS = ("/api/v1/children", "/api/v1/requests", "/api/v1/discussions", "/api/v1/actions")


def api_walk(port: int, authorities: list[str]) -> list[str]:
    """Each demo account's token asks each API list and the first record it lists; the
    OpenAPI document and the docs page (with its own Swagger UI files) open without one,
    and a list without a token is a 401 problem. What was wrong, if anything."""
    import json

    from django.utils import timezone

    from strategise.organisations.models import User
    from strategise.organisations.tokens import api_token_create

    wrong: list[str] = []
    visitor = Browser(port)
    for path, kind in (("/api/v1/openapi.json", "application/json"), ("/api/v1/docs", "text/html")):
        answer = visitor.request("GET", path)
        if answer.status != 200 or kind not in answer.content_type:
            wrong.append(f"visitor: GET {path}: {answer.status} {answer.content_type}")
    docs = visitor.get("/api/v1/docs").body
    for script in re.findall(r'src="(/static/[^"]+)"', docs):
        if visitor.get(script).status != 200:
            wrong.append(f"visitor: the docs page's {script} is not served")
    refused = visitor.get(API_LISTS[0])
    if refused.status != 401 or "problem+json" not in refused.content_type:
        wrong.append(f"visitor: GET {API_LISTS[0]}: {refused.status}, not a 401 problem")
    asked = 0
    for slug, role in itertools.product(authorities, ROLES):
        user = User.objects.get(username=f"{role}.{slug}")
        _, text = api_token_create(
            user=user, name="Smoke test", scopes=["read"], days=7, now=timezone.now()
        )
        browser = Browser(port, client=CLIENT)
        for path in API_LISTS:
            answer = browser.request("GET", path, bearer=text)
            asked += 1
            if answer.status != 200 or "application/json" not in answer.content_type:
                wrong.append(f"{user.username}: GET {path}: {answer.status}")
                continue
            for item in json.loads(answer.body)["items"][:1]:
                one = browser.request("GET", f"{path}/{item['id']}", bearer=text)
                asked += 1
                if one.status != 200:
                    wrong.append(f"{user.username}: GET {path}/{item['id']}: {one.status}")
    say(f"the API: {asked} requests with the demo accounts' tokens, {len(wrong)} wrong")
    return wrong


def summary(answers: Counter[str]) -> str:
    """``answers`` in words: how many of each status (and of POST-only routes not asked)."""
    pages = sum(count for status, count in answers.items() if status.isdigit())
    each = ", ".join(
        f"{count} × {status}" for status, count in sorted(answers.items()) if status.isdigit()
    )
    buttons = f"; {answers['POST only']} POST-only not asked" if answers["POST only"] else ""
    return f"{pages} pages ({each}){buttons}"


# Each role's session from the walk, so the request is raised in one already signed in.
SIGNED_IN: dict[str, Browser] = {}


def raise_request(port: int, urls: dict[str, str], slug: str) -> int:
    """Raise one request through the form as the authority's social worker; its number."""
    from django.utils import timezone

    from strategise.cases.models import Child
    from strategise.organisations.models import User
    from strategise.policy import LONDON

    worker = User.objects.select_related("agency").get(username=f"sw.{slug}")
    if worker.agency is None:
        raise SmokeFailure(f"sw.{slug} belongs to no agency")
    browser = SIGNED_IN.get(worker.username)
    if browser is None:
        browser = Browser(port)
        sign_in(browser, worker.username, urls)
    child = (
        Child.objects.filter(local_authority=worker.agency.local_authority).order_by("pk").first()
    )
    if child is None:
        raise SmokeFailure(f"no demo child in {slug} to raise a request about")
    path = f"{urls['request-new']}?child={child.pk}"
    page = browser.get(path)
    if urlsplit(page.location).path == urls["second-factor"]:
        raise SmokeFailure(f"the request form asked {worker.username} for the second factor again")
    if page.status != 200:
        raise SmokeFailure(f"the request form answered {page.status} {page.location}")
    reader = FormReader(urls["request-new"])
    reader.feed(page.body)
    identified = (timezone.now() - timedelta(hours=1)).astimezone(LONDON)
    chosen = {
        "children": str(child.pk),
        "concerns": "physical_abuse",
        "narrative": "Smoke test: bruising seen at school.",
        "identified_date_day": str(identified.day),
        "identified_date_month": str(identified.month),
        "identified_date_year": str(identified.year),
        "identified_time": f"{identified:%H:%M}",
    }
    form = [(name, value) for name, value in reader.fields if name not in chosen]
    form += list(chosen.items())
    if "csrfmiddlewaretoken" not in dict(form):
        form.append(("csrfmiddlewaretoken", csrf_token(page.body)))
    answer = browser.post(urls["request-new"], form)
    created = re.fullmatch(r"/requests/(\d+)/", urlsplit(answer.location).path)
    if answer.status != 302 or not created:
        raise SmokeFailure(
            f"the request form was not accepted: {answer.status}, {error_summary(answer.body)}"
        )
    return int(created.group(1))


def lockout(port: int, urls: dict[str, str], slug: str) -> str:
    """Wrong passwords lock a username, and from one address many usernames lock that
    address, whichever gunicorn worker answers; a person elsewhere still signs in. The
    walk's address (CLIENT) is not used, so the smoke never locks itself out."""
    from django.conf import settings

    def attempt(browser: Browser, username: str, password: str) -> Answer:
        page = browser.get(urls["sign-in"])
        form = [
            ("csrfmiddlewaretoken", csrf_token(page.body)),
            ("username", username),
            ("password", password),
        ]
        return browser.post(urls["sign-in"], form)

    wrong = "not the password at all"
    guesser = Browser(port, client="203.0.113.20")
    for _ in range(settings.STRATEGISE_LOCKOUT_FAILURES):
        attempt(guesser, "smoke.locked", wrong)
    locked = attempt(guesser, "smoke.locked", wrong)
    if locked.status != 429 or "This account has been locked" not in error_summary(locked.body):
        raise SmokeFailure(
            f"after {settings.STRATEGISE_LOCKOUT_FAILURES} wrong passwords the username was "
            f"not locked: {locked.status} ({error_summary(locked.body)})"
        )
    sprayer = Browser(port, client="203.0.113.21")
    for number in range(settings.STRATEGISE_LOCKOUT_ADDRESS_FAILURES):
        attempt(sprayer, f"smoke.guess{number}", wrong)
    stopped = attempt(sprayer, f"sw.{slug}", PASSWORD)
    if stopped.status != 429 or "from your network" not in error_summary(stopped.body):
        raise SmokeFailure(
            f"after {settings.STRATEGISE_LOCKOUT_ADDRESS_FAILURES} wrong passwords from one "
            f"address it was not stopped: {stopped.status} ({error_summary(stopped.body)})"
        )
    elsewhere = attempt(Browser(port, client="203.0.113.22"), f"sw.{slug}", PASSWORD)
    if elsewhere.status != 302 or urlsplit(elsewhere.location).path != urls["my-work"]:
        raise SmokeFailure(
            f"sw.{slug}'s right password from another address answered {elsewhere.status} "
            f"({error_summary(elsewhere.body)}): the address lockout stopped everyone"
        )
    return (
        f"lockout: a username after {settings.STRATEGISE_LOCKOUT_FAILURES} wrong passwords, "
        f"an address after {settings.STRATEGISE_LOCKOUT_ADDRESS_FAILURES}; another address "
        "still signs in"
    )


def tick_on_the_worker(request_pk: int, services: Services, mailbox: Mailbox) -> str:
    """Run the clock tick for the new request's clock on the RQ worker; what it did."""
    from strategise.clocks.models import Clock
    from strategise.clocks.tasks import clocks_tick
    from strategise.notifications.models import Notification

    clock = Clock.objects.filter(request_id=request_pk).order_by("due_at").first()
    if clock is None:
        raise SmokeFailure(f"request {request_pk} started no clock")
    moment = clock.due_at + timedelta(minutes=1)
    result = clocks_tick.enqueue(moment.isoformat())

    def finished() -> Any:
        result.refresh()
        status = str(getattr(result.status, "value", result.status))
        if status == "FAILED":
            raise SmokeFailure(f"the tick failed on the worker:\n{services.tail('rqworker')}")
        return status == "SUCCESSFUL"

    wait_until("the clock tick on the RQ worker", 120, services, finished)
    told = Notification.objects.filter(dedupe_key__startswith=f"clock:{clock.pk}:").first()
    if told is None:
        raise SmokeFailure(f"the tick told nobody that clock {clock.pk} is overdue")
    wanted = f"<notification-{told.pk}@smoke.invalid>"
    wait_until(
        f"the email of notification {told.pk}", 120, services, lambda: mailbox.message_ids()[wanted]
    )
    copies = mailbox.message_ids()[wanted]
    if copies != 1:
        raise SmokeFailure(f"notification {told.pk} was emailed {copies} times")
    return (
        f"clock {clock.pk} of request {request_pk}: tick {result.return_value} on RQ, emailed once"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a new, empty database")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/14",
        help="a Redis database of its own: it is emptied (default: %(default)s)",
    )
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/15",
        help="another Redis database of its own, for the cache: it is emptied "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--authorities",
        default="sandwell",
        help="comma-separated demo authorities whose roles sign in, or all",
    )
    parser.add_argument("--timeout", type=int, default=1500, help="give up after this many seconds")
    args = parser.parse_args()
    authorities = AUTHORITIES if args.authorities == "all" else args.authorities.split(",")
    unknown = sorted(set(authorities) - set(AUTHORITIES))
    if unknown:
        parser.error(
            f"--authorities: no demo authority {', '.join(unknown)}; "
            f"choose from {', '.join(AUTHORITIES)}"
        )

    def give_up(signum: int, frame: Any) -> None:
        raise SmokeFailure(f"stopped after {args.timeout} seconds ({signal.strsignal(signum)})")

    signal.signal(signal.SIGALRM, give_up)
    signal.signal(signal.SIGTERM, give_up)
    signal.alarm(args.timeout)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="strategise-smoke-") as scratch:
        folder = Path(scratch)
        services = Services(folder)
        mailbox = Mailbox()
        threading.Thread(target=mailbox.serve_forever, daemon=True).start()
        try:
            return smoke(args, authorities, folder, services, mailbox, started)
        except SmokeFailure as failure:
            print(f"smoke: FAILED: {failure}", file=sys.stderr, flush=True)
            for name in services.processes:
                print(f"--- the end of {name}'s log ---\n{services.tail(name)}", file=sys.stderr)
            return 1
        finally:
            signal.alarm(0)
            services.stop()
            mailbox.shutdown()
            mailbox.server_close()


def smoke(
    args: argparse.Namespace,
    authorities: list[str],
    folder: Path,
    services: Services,
    mailbox: Mailbox,
    started: float,
) -> int:
    port = free_port()
    env = environment(args, folder, port, mailbox.port)
    os.environ.update(env)
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]

    import redis

    for url in (args.redis_url, args.cache_url):
        try:
            redis.Redis.from_url(url).flushdb()
        except redis.RedisError as error:
            raise SmokeFailure(f"Redis at {url} does not answer: {error}") from None

    run_step("migrate", [*manage, "migrate", "--no-input"], env)
    run_step(
        "demo (with DJANGO_DEBUG=1, as it requires)", [*manage, "demo"], env | {"DJANGO_DEBUG": "1"}
    )
    run_step("collectstatic", [*manage, "collectstatic", "--no-input", "--verbosity", "0"], env)
    checked = run_step(
        "check --deploy", [*manage, "check", "--deploy", "--fail-level", "ERROR"], env
    )
    print(checked.strip(), flush=True)

    services.start(
        "gunicorn",
        [
            python,
            "-m",
            "gunicorn",
            "--config",
            "python:strategise.config.gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "strategise.config.wsgi",
        ],
        env,
    )
    services.start(
        "rqworker", [*manage, "rqworker", "--job-class", "django_tasks_rq.Job", "default"], env
    )
    wait_until(f"gunicorn on 127.0.0.1:{port}", 90, services, lambda: serving(port))
    say(f"gunicorn (2 workers) on 127.0.0.1:{port} and an RQ worker on {args.redis_url}")

    import django

    django.setup()
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.urls import reverse

    urls = {
        name: reverse(f"web:{name}")
        for name in ("sign-in", "second-factor", "my-work", "request-new")
    }
    stylesheet = Browser(port).get(staticfiles_storage.url("strategise/application.css"))
    if stylesheet.status != 200 or "govuk" not in stylesheet.body:
        raise SmokeFailure(f"the hashed stylesheet answered {stylesheet.status}")

    patterns = url_patterns()
    found = walk(port, patterns, authorities, urls)
    found.failures += api_walk(port, authorities)
    for failure in found.failures:
        print(f"smoke: wrong: {failure}", file=sys.stderr, flush=True)
    # In Sandwell a request raised starts a clock (one raised in the demo's national
    # authority started none).
    request_pk = raise_request(
        port, urls, "sandwell" if "sandwell" in authorities else authorities[0]
    )
    say(f"raised request {request_pk} through the form")
    say(tick_on_the_worker(request_pk, services, mailbox))
    say(lockout(port, urls, authorities[0]))
    services.check_running()

    logged = services.log("gunicorn").count("Internal Server Error")
    unopened = sorted(
        pattern.route for pattern in patterns if (pattern.name or pattern.route) not in found.opened
    )
    total: Counter[str] = Counter()
    for answers in found.answers.values():
        total.update(answers)
    say(f"every account: {summary(total)}")
    if found.unmatched:
        say(f"{found.unmatched} answers no column of the access matrix speaks for: 200 or 404")
    if unopened:
        say(f"patterns not opened (a regular expression without a name): {', '.join(unopened)}")
    pages = sum(count for status, count in total.items() if status.isdigit()) + 1
    errors = len(found.failures) + logged
    say(f"{pages} pages, {errors} wrong, in {time.monotonic() - started:.0f} seconds")
    print(f"smoke: {pages - len(found.failures)} passed, {len(found.failures)} failed", flush=True)
    if errors:
        print(f"--- gunicorn's log ---\n{services.tail('gunicorn', 200)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
