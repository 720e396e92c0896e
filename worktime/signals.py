from worktime.calendar import invalidate_calendar


def calendar_changed(**kwargs) -> None:
    invalidate_calendar()
