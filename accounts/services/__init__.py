"""Writes that span several models or send e-mail: enrollments, invitations, steps,
credentials and continuing education.

Every function is keyword-only and runs in a transaction. Business rules that a user can
break (a withdrawn student editing, a count out of range, a rejection without a reason)
raise ``ValidationError`` with a message fit to show as it is. Every function that
changes a step recomputes its path through ``accounts.progress.path_recompute``.

The package is split by concern; its public names are importable from here.
"""

from accounts.services import applications  # noqa: F401  (services.applications.*)
from accounts.services.common import (
    EXAM_DATE_FUTURE_DAYS,
    EXAM_DATE_PAST_DAYS,
    INVITATION_DAYS,
    MAX_CE_CREDITS,
    MAX_COUNT,
    MAX_EVIDENCE_PER_STEP,
)
from accounts.services.credentials import (
    ce_activity_add,
    ce_activity_delete,
    ce_categories,
    credential_record,
)
from accounts.services.enrollments import (
    enrollment_create,
    enrollment_notify,
    path_apply_template,
    path_create,
)
from accounts.services.invitations import (
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_get,
    invitation_send,
)
from accounts.services.notices import (
    enrollment_set_status,
    notice_create,
    notices_mark_seen,
)
from accounts.services.profile import calendar_token_reset, profile_ensure, profile_export
from accounts.services.steps import (
    accepts_evidence,
    evidence_submit,
    evidence_withdraw,
    step_mark_done,
    step_record_count,
    step_reject,
    step_reopen,
    step_set_date,
    step_verify,
    step_waive,
)

__all__ = [
    "EXAM_DATE_FUTURE_DAYS",
    "EXAM_DATE_PAST_DAYS",
    "INVITATION_DAYS",
    "MAX_CE_CREDITS",
    "MAX_COUNT",
    "MAX_EVIDENCE_PER_STEP",
    "InvitationError",
    "accepts_evidence",
    "calendar_token_reset",
    "ce_activity_add",
    "ce_activity_delete",
    "ce_categories",
    "credential_record",
    "enrollment_create",
    "enrollment_notify",
    "enrollment_set_status",
    "evidence_submit",
    "evidence_withdraw",
    "invitation_accept",
    "invitation_create",
    "invitation_get",
    "invitation_send",
    "notice_create",
    "notices_mark_seen",
    "path_apply_template",
    "path_create",
    "profile_ensure",
    "profile_export",
    "step_mark_done",
    "step_record_count",
    "step_reject",
    "step_reopen",
    "step_set_date",
    "step_verify",
    "step_waive",
]
