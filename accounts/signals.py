"""Seats follow the rows that hold them: any save or delete of an enrollment or an
application that may take or give back a seat recounts its cohort (old and new, when
it moved) through ``accounts.cohorts.cohort_seats_recompute``, the one writer of
``Cohort.seats_taken``. Queryset ``update()`` and ``bulk_create()`` skip these
receivers: code that uses them on either model recounts itself."""

from django.db.models.signals import post_delete, post_init, post_save

from accounts.cohorts import cohort_seats_recompute
from accounts.models import Application, Enrollment

# The fields whose change can move a seat, per model.
SEAT_FIELDS = {
    Enrollment: ("cohort_id", "status"),
    Application: ("cohort_id", "status", "enrollment_id"),
}


def _snapshot(instance):
    # Read from __dict__: a deferred field is not loaded just to be remembered.
    return tuple(instance.__dict__.get(name) for name in SEAT_FIELDS[type(instance)])


def remember_seat_fields(sender, instance, **kwargs):
    instance._seat_fields = _snapshot(instance)


def recount_after_save(sender, instance, created, **kwargs):
    before = getattr(instance, "_seat_fields", None)
    after = _snapshot(instance)
    instance._seat_fields = after
    if not created and before == after:
        return
    cohort_ids = {instance.cohort_id}
    if before and before[0] is not None:
        cohort_ids.add(before[0])
    for cohort_id in sorted(cohort_ids - {None}):
        cohort_seats_recompute(cohort_id)


def recount_after_delete(sender, instance, **kwargs):
    if instance.cohort_id is not None:
        cohort_seats_recompute(instance.cohort_id)


def connect():
    for model in SEAT_FIELDS:
        uid = model._meta.label_lower
        post_init.connect(remember_seat_fields, sender=model, dispatch_uid=f"seats-init-{uid}")
        post_save.connect(recount_after_save, sender=model, dispatch_uid=f"seats-save-{uid}")
        post_delete.connect(recount_after_delete, sender=model, dispatch_uid=f"seats-del-{uid}")
