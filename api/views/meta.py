"""Answers about the API itself."""

from django.views.decorators.csrf import csrf_exempt

from api.base import in_callers_language
from api.problems import problem


@csrf_exempt
def not_found(request, *args, **kwargs):
    """No operation at this address (any method)."""
    return in_callers_language(request, lambda: problem(404, instance=request.path))
