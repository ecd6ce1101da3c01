"""Creating at most once per form: a repeated post answers with what the first created.

Each form that creates something carries a one-off token (a hidden field). A service
that creates asks ``form_replayed`` first (a post already answered gets its object back
without being checked again), then, inside its transaction and before it creates
anything, ``form_claim``; once it has created the object, ``form_keep`` stores it with
the token. Two posts of the same form at once: the second's claim waits for the first
to commit, finds the token taken and answers with the first's object.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction

from strategise.audit.models import IdempotencyKey
from strategise.organisations.models import User
from strategise.problems import Problem


def _object[M: models.Model](key: IdempotencyKey, model: type[M]) -> M:
    if key.object_type != model._meta.label or not key.object_id:
        raise Problem("This form has already been sent: go back, reload the page and try again")
    return model._default_manager.get(pk=key.object_id)


def form_replayed[M: models.Model](*, user: User, token: str, model: type[M]) -> M | None:
    """What an earlier post of this form (``token``) by ``user`` created, if any."""
    if not token:
        return None
    key = IdempotencyKey.objects.filter(user=user, token=token).first()
    return None if key is None else _object(key, model)


def form_claim[M: models.Model](*, user: User, token: str, model: type[M]) -> M | None:
    """Inside the creating transaction, before creating: take the token, or return what
    the post that took it first created."""
    if not token:
        return None
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(user=user, token=token, object_type=model._meta.label)
    except IntegrityError:
        # Taken by a post that committed meanwhile: each statement sees what is committed.
        return _object(IdempotencyKey.objects.get(user=user, token=token), model)
    return None


def form_keep(*, user: User, token: str, obj: models.Model) -> None:
    """Inside the creating transaction: keep what this post created with its token."""
    if token:
        IdempotencyKey.objects.filter(user=user, token=token).update(object_id=str(obj.pk))
