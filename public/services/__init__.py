"""Public accountability's writes, by subject (reads: ``public.selectors``, a module per
subject)."""
