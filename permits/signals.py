from permits.selectors.catalogue import catalogue_choices_invalidate


def catalogue_changed(**kwargs) -> None:
    catalogue_choices_invalidate()
