"""The red-flag rules, one module each (importing this package registers them all)."""

from integrity.flags.rules import (  # noqa: F401
    coi,
    complaint,
    fast,
    flip,
    held,
    hours,
    late,
    pair,
    pressure,
    queue,
    survey,
)
