"""One-time form tokens: a double submit acts once (``public.models.FormToken``).

``token_issue`` puts a fresh token in the form and remembers it in the session;
``token_claim`` is True for the first post of a token issued to this session and False for
every later one; ``token_release`` gives a token back after a refused post so the corrected
form can be sent. Claims are rows in the database, never the cache: they hold while Redis
is down. A claim is kept as long as a session lives, then swept by the next claim.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from public.models import FormToken

TOKENS = "complaint_tokens"  # session: one-time form tokens issued to this browser
TOKENS_KEPT = 20
PURPOSE = "complaint"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(request) -> str:
    """A one-time token for a form, remembered in this browser's session."""
    token = secrets.token_urlsafe(16)
    issued = [*request.session.get(TOKENS, []), token][-TOKENS_KEPT:]
    request.session[TOKENS] = issued
    return token


def token_claim(request, token: str) -> bool:
    """True once per token issued to this session: the first of two identical posts acts,
    the second does not (the claim is an insert into a unique column, so even simultaneous
    posts act once)."""
    if not token or token not in request.session.get(TOKENS, []):
        return False
    now = timezone.now()
    kept = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    FormToken.objects.filter(claimed_at__lt=now - kept).delete()
    try:
        with transaction.atomic():
            FormToken.objects.create(digest=_digest(token), purpose=PURPOSE, claimed_at=now)
    except IntegrityError:
        return False
    return True


def token_release(token: str) -> None:
    """Give a token back after a refused post, so the corrected form can be sent."""
    FormToken.objects.filter(digest=_digest(token)).delete()
