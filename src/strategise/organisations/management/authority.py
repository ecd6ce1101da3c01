"""Finding the authority a command names by its slug."""

from __future__ import annotations

from django.core.management.base import CommandError

from strategise.organisations.models import LocalAuthority


def authority_named(slug: str) -> LocalAuthority:
    """The authority with this slug, or an error listing the slugs there are."""
    found = LocalAuthority.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(LocalAuthority.objects.values_list("slug", flat=True)) or "none"
        raise CommandError(f"No local authority has the slug {slug!r} (there are: {known})")
    return found
