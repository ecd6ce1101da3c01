"""Pages render with production's static files: collected, hashed and compressed.

The test settings serve static names unhashed, which hides a class of bug: a template that
asks ``static()`` for a name the manifest does not hold (a folder, a file never built)
works in tests and answers 500 on every page in production. Here the real storage
(WhiteNoise's ``CompressedManifestStaticFilesStorage``) collects into a temporary folder,
and pages render against its manifest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from tests.clocks.support import held_discussion

SRC = Path(__file__).resolve().parents[2] / "src" / "strategise"
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``collectstatic`` into a fresh folder, as a deployment runs it."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def manifest(collected: Path) -> Iterator[dict[str, str]]:
    """Static names resolve through the collected manifest, as without DJANGO_DEBUG."""
    with override_settings(
        STATIC_ROOT=collected,
        STORAGES=PRODUCTION_STORAGES,
        WHITENOISE_USE_FINDERS=False,
        DEBUG=False,
    ):
        yield json.loads((collected / "staticfiles.json").read_text())["paths"]


def _static_names_in_templates() -> set[str]:
    names: set[str] = set()
    for template in SRC.rglob("jinja2/**/*.html"):
        names.update(re.findall(r"""static\(\s*['"]([^'"]+)['"]\s*\)""", template.read_text()))
    return names


def test_collectstatic_hashes_and_compresses_the_service_assets(
    collected: Path, manifest: dict[str, str]
) -> None:
    hashed = manifest["strategise/application.css"]
    assert re.fullmatch(r"strategise/application\.[0-9a-f]{12}\.css", hashed)
    assert (collected / hashed).is_file()
    assert (collected / f"{hashed}.gz").is_file()


def test_every_static_name_a_template_asks_for_is_in_the_manifest(
    manifest: dict[str, str],
) -> None:
    names = _static_names_in_templates()
    assert "strategise/application.css" in names
    missing = sorted(name for name in names if name not in manifest)
    assert missing == [], f"templates ask static() for names collectstatic did not make: {missing}"


def test_a_folder_is_not_a_static_file(manifest: dict[str, str]) -> None:
    """The bug this module guards against: the layout once asked for a folder."""
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        staticfiles_storage.url("strategise/assets")


PUBLIC_PAGES = ["/", "/triage/", "/sign-in/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_link_the_hashed_assets(
    client: Client, manifest: dict[str, str], path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{settings.STATIC_URL}{manifest["strategise/application.css"]}"' in html
    assert f'src="{settings.STATIC_URL}{manifest["strategise/application.mjs"]}"' in html


@pytest.fixture
def held(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return held_discussion(social_worker, team_manager, users={"police": police_officer})


def _signed_in_pages(discussion: Discussion) -> list[str]:
    request = discussion.request
    child = request.children.get()
    return [
        "/my-work/",
        "/children/",
        f"/children/{child.pk}/",
        "/requests/new/",
        f"/requests/{request.pk}/",
        f"/discussions/{discussion.pk}/",
        f"/discussions/{discussion.pk}/record/",
        f"/discussions/{discussion.pk}/clocks/",
        f"/discussions/{discussion.pk}/minutes/",
        "/disagreements/",
        "/notifications/",
        "/oversight/",
        "/reports/",
    ]


@pytest.mark.django_db
def test_signed_in_pages_render_with_the_manifest(
    client: Client, manifest: dict[str, str], held: Discussion, team_manager: User
) -> None:
    client.force_login(team_manager)
    answers = {path: client.get(path).status_code for path in _signed_in_pages(held)}
    assert answers == dict.fromkeys(answers, 200)


@pytest.mark.django_db
def test_the_admin_site_renders_with_the_manifest(
    client: Client, manifest: dict[str, str], administrator: User
) -> None:
    client.force_login(administrator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert manifest["admin/css/base.css"] in response.content.decode()
