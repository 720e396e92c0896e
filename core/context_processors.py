from django.conf import settings


def office(request):
    """The office's names, shown in every page's header and footer."""
    return {
        "OFFICE_NAME": settings.OFFICE_NAME,
        "OFFICE_SHORT_NAME": settings.OFFICE_SHORT_NAME,
        "KIOSK_RESET_SECONDS": settings.KIOSK_RESET_SECONDS,
    }
