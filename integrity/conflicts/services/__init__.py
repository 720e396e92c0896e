"""Conflict-of-interest work, by subject: the register, matching, declarations, holds and
cases, suspicion reports, gratification, sanctions (reads: ``integrity.conflicts.selectors``).

Every write records who did it: register versions and declarations are rows written once
with their officer; matches and cases leave events on the file (``integrity.*``) and cases
keep field history. Messages go through the outbox.
"""
