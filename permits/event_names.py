"""The names of the file events (``permits.ApplicationEvent.action``): one place.

Every service that writes an event, every red-flag rule that reads one, the history
generator and the auditors' workspace use these constants, never the bare strings, so a
renamed event cannot silently blind a rule (``tests/permits/test_event_names.py`` scans the
code for stray literals and checks every rule's triggers against ``EVENT_NAMES``).
Outbox message kinds are another namespace, even where a kind reads like an event.
"""

# The file's creation and assignment, and its state machine's transitions
# (``permits.models.stages.EVENT_ACTIONS`` maps each transition to its event).
APPLICATION_CREATED = "application.created"
APPLICATION_SUBMITTED = "application.submitted"
APPLICATION_ASSIGNED = "application.assigned"
APPLICATION_REASSIGNED = "application.reassigned"
APPLICATION_VERIFICATION_STARTED = "application.verification_started"
APPLICATION_RETURNED = "application.returned"
APPLICATION_RESUBMITTED = "application.resubmitted"
APPLICATION_COMPLETED = "application.completed"
APPLICATION_REVIEWED = "application.reviewed"
APPLICATION_INSPECTED = "application.inspected"
APPLICATION_PAID = "application.paid"
APPLICATION_APPROVED = "application.approved"
APPLICATION_SIGNED = "application.signed"
APPLICATION_REJECTED = "application.rejected"
APPLICATION_WITHDRAWN = "application.withdrawn"
APPLICATION_EXPIRED = "application.expired"

# The technical team's recommendations (tim teknis): asked of each agency the type names,
# drafted by its officer, sent back or signed off by its supervisor, escalated when late.
RECOMMENDATION_REQUESTED = "recommendation.requested"
RECOMMENDATION_DRAFTED = "recommendation.drafted"
RECOMMENDATION_SENT_BACK = "recommendation.sent_back"
RECOMMENDATION_SIGNED = "recommendation.signed"
RECOMMENDATION_ESCALATED = "recommendation.escalated"

# The field inspection (peninjauan lapangan): an appointment proposed by the lead officer,
# confirmed by the applicant or asked to move, the team drawn with it.
SITE_VISIT_PROPOSED = "site_visit.proposed"
SITE_VISIT_CONFIRMED = "site_visit.confirmed"
SITE_VISIT_MOVE_ASKED = "site_visit.move_asked"
# Its report (berita acara): written by the lead, signed by each officer of the team and by
# the applicant's side; its PDF stored once every signature is in.
SITE_VISIT_REPORTED = "site_visit.reported"
SITE_VISIT_SIGNED = "site_visit.signed"
SITE_VISIT_APPLICANT_SIGNED = "site_visit.applicant_signed"
# A photo taken on the visit, with where and when it was taken and how that compares.
SITE_VISIT_PHOTO_ADDED = "site_visit.photo_added"

# A requirement's document uploaded (a new version).
DOCUMENT_UPLOADED = "document.uploaded"

# Acts on a requirement check (the stage does not change).
CHECK_UPDATED = "check.updated"
# A requirement passed as "ok" although its content is what was found missing or invalid
# (the same SHA-256, or no newer document): allowed only with the officer's written note.
CHECK_REAFFIRMED_WANTING = "check.reaffirmed_wanting"

# The counter's verdict on the file's details (right, or wrong in named fields), and the
# applicant's correction of the fields named.
DATA_CHECKED = "data.checked"
DATA_CORRECTED = "data.corrected"

# A message posted in the file's thread.
MESSAGE_POSTED = "message.posted"

# The SOP clock's reminders and escalations.
SLA_REMINDED = "sla.reminded"
SLA_ESCALATED = "sla.escalated"
SLA_CHECK_REMINDED = "sla.check_reminded"
SLA_CHECK_OVERDUE = "sla.check_overdue"

# The permit: numbered, its signed PDF stored, revoked.
PERMIT_ISSUED = "permit.issued"
PERMIT_PDF_STORED = "permit.pdf_stored"
PERMIT_REVOKED = "permit.revoked"

# Conflicts of interest and holds (written by the integrity app).
INTEGRITY_MATCH_FOUND = "integrity.match_found"
INTEGRITY_DECLARED_CLEAR = "integrity.declared_clear"
INTEGRITY_DECLARED_CONFLICT = "integrity.declared_conflict"
INTEGRITY_CASE_OPENED = "integrity.case_opened"
INTEGRITY_HELD = "integrity.held"
INTEGRITY_HELD_ATTEMPT = "integrity.held_attempt"
INTEGRITY_CASE_REVIEWED = "integrity.case_reviewed"
INTEGRITY_CASE_DECIDED = "integrity.case_decided"
INTEGRITY_CASE_OVERDUE = "integrity.case_overdue"
INTEGRITY_GRATIFICATION_REPORTED = "integrity.gratification_reported"
INTEGRITY_SUSPICION_REPORTED = "integrity.suspicion_reported"

EVENT_NAMES = frozenset(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)
