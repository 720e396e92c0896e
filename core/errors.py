"""Error views Django cannot get from a template alone."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent without its valid CSRF token (the page was opened
    before the person signed in or out elsewhere, the cookies were cleared or refused) gets
    the site's own 403 page saying so, in the visitor's language. Django already logs the
    reason (logger ``django.security.csrf``); the page does not show it. Rendering the page
    issues a fresh token, so the form works again once reloaded."""
    return render(request, "csrf_failure.html", status=403)
