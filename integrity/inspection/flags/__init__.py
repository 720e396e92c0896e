"""Red flags over the event history (see ``registry`` for what a rule is)."""
