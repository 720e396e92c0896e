"""Answers about the API itself."""

from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from api.base import api_language
from api.problems import problem


@csrf_exempt
def not_found(request, *args, **kwargs):
    """No operation at this address (any method)."""
    language = api_language(request)
    with translation.override(language):
        response = problem(404, instance=request.path)
    response["Content-Language"] = language
    return response
