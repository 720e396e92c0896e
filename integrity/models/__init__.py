"""The integrity app's model registry (Django loads ``integrity.models``): the two halves'
models under one app label. Outside the app, import them from here."""

from integrity.conflicts.models import *  # noqa: F403 (each half lists its names)
from integrity.conflicts.models import __all__ as _conflicts
from integrity.inspection.models import *  # noqa: F403
from integrity.inspection.models import __all__ as _inspection

__all__ = [*_conflicts, *_inspection]
