from django.utils.functional import SimpleLazyObject

from outbox.selectors import unread_count


def unread(request):
    """Unread messages of the signed-in person; counted only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"UNREAD_MESSAGES": SimpleLazyObject(lambda: unread_count(user))}
