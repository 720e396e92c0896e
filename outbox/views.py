from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from outbox.selectors import inbox_for
from outbox.services import inbox_mark_read

PAGE_SIZE = 20


@require_safe
@login_required
def inbox(request):
    """The signed-in person's own messages (anyone's inbox is only ever their own)."""
    page = Paginator(inbox_for(request.user), PAGE_SIZE).get_page(request.GET.get("hal"))
    shown = list(page.object_list)
    response = render(request, "outbox/inbox.html", {"page": page, "shown": shown})
    inbox_mark_read(request.user, shown)
    return response
