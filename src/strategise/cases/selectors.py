"""Reading children's records, always scoped to the user and audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.organisations.access import visible_children
from strategise.organisations.models import User


def child_search(*, user: User, text: str = "", born: date | None = None) -> list[Child]:
    """Children the user may see whose name, alias or reference contains ``text``."""
    children: QuerySet[Child] = visible_children(user)
    for word in text.split():
        children = children.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(aliases__icontains=word)
            | Q(local_reference__iexact=word)
        )
    if born is not None:
        children = children.filter(date_of_birth=born)
    with transaction.atomic():
        found = list(children.order_by(Lower("last_name"), Lower("first_name"), "pk")[:50])
        audit_record(
            user=user,
            action="search",
            object_type="cases.Child",
            children=[child.pk for child in found],
            detail={"text": text, "born": born.isoformat() if born else None},
        )
    return found


def child_possible_duplicates(
    *, user: User, first_name: str, last_name: str, date_of_birth: date | None
) -> list[Child]:
    """Children already recorded who are probably the same child (same surname and birth
    date, or same first and last name)."""
    same_name = Q(first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip())
    match = same_name
    if date_of_birth is not None:
        match |= Q(last_name__iexact=last_name.strip(), date_of_birth=date_of_birth)
        match |= Q(first_name__iexact=first_name.strip(), date_of_birth=date_of_birth)
    with transaction.atomic():
        found = list(visible_children(user).filter(match)[:10])
        if found:
            audit_record(
                user=user,
                action="duplicate-check",
                object_type="cases.Child",
                children=[child.pk for child in found],
            )
    return found


def child_get(*, user: User, pk: int) -> Child:
    """One child the user may see (404 otherwise), with the read audited."""
    with transaction.atomic():
        child = get_object_or_404(visible_children(user).select_related("household"), pk=pk)
        audit_record(user=user, action="view", obj=child, children=[child.pk])
    return child
