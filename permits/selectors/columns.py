"""The columns a page loads of a file for its SOP clock, its completeness check and its
holder's name (fewer columns plan and load faster)."""

from __future__ import annotations

# What ``clock_status`` needs of a file, and what a holder's display name needs.
CLOCK_COLUMNS = (
    "clock_started_at",
    "clock_running_since",
    "sop_budget",
    "work_used",
    "sop_deadline",
    "finished_late",
)
# What ``check_status`` needs: the completeness check's queue time and deadline.
CHECK_COLUMNS = ("waiting_since", "check_due_at")
HOLDER_COLUMNS = (
    "assigned_to__username",
    "assigned_to__full_name",
    "assigned_to__first_name",
    "assigned_to__last_name",
)
