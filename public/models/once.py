"""One-time form tokens, claimed in the database.

A form that must act once (a complaint, a message in its thread, a handler's action) carries
a random token issued in the browser's session. Posting it claims the token by inserting
its hash into a unique column: the first of two identical posts inserts and acts, the
second (even simultaneous, on another process) hits the unique constraint and does not.
The claim lives in the database so that it works, and stays atomic, while Redis is down.
"""

from __future__ import annotations

from django.db import models


class FormToken(models.Model):
    digest = models.CharField(max_length=64, unique=True)  # sha256 of the token, hex
    purpose = models.CharField(max_length=40)
    claimed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.purpose} {self.digest[:8]}"
