import secrets
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts import storage
from careers.models import PathStepTemplate


def private_storage():
    """Evidence and CE proofs: settings.STORAGES["private"] (a folder or a private bucket)."""
    return storage.private


def private_upload_to(instance, filename):
    # A random name: nothing about the student or the original file leaks into the path.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}{suffix}"


class UserManager(DjangoUserManager):
    """Users are identified by e-mail address, compared case-insensitively."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    @classmethod
    def normalize_email(cls, email):
        return (email or "").strip().lower()


class User(AbstractUser):
    username = None
    email = models.EmailField("e-mail address", unique=True)
    # Their e-mails, calendar and portal are in this language; set from the page they
    # signed up or set their password on, changed on their profile.
    language = models.CharField(
        "language", max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = UserManager.normalize_email(self.email)
        # set_password() leaves the raw password in _password until the save: the
        # password changed (change, reset, admin, invitation), not a hasher upgrade.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            # A new password locks out whoever knew the old one, and the calendar feed
            # link is a key too: it must stop working as well.
            StudentProfile.objects.filter(user=self).update(
                calendar_token=new_calendar_token(), updated_at=timezone.now()
            )


# --- Student records ---------------------------------------------------------------
# Student records are never cascade-deleted by content edits: links to programs and
# careers content use PROTECT, and a path keeps its own copy of each template step.


def staff_may_view(user, model):
    """Whether a staff account may read every row of a student-record model.

    The same rule as the admin's: an active staff account holding the model's view or
    change permission (superusers hold them all). ``is_staff`` alone is not enough."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


class OwnedQuerySet(models.QuerySet):
    """Portal reads go through owned_by(user): a student sees only their own rows.

    visible_to(user) is the one read rule for pages staff may open too: the owner sees
    their own rows, staff with the model's view permission see all, anyone else none."""

    owner_lookup = "student"

    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(**{self.owner_lookup: user})

    def visible_to(self, user):
        if staff_may_view(user, self.model):
            return self.all()
        return self.owned_by(user)


def new_calendar_token():
    return secrets.token_urlsafe(32)


class StudentProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    phone = models.CharField(max_length=30, blank=True)
    # Private like evidence: shown to its owner through a permission-checked view.
    photo = models.ImageField(storage=private_storage, upload_to="profiles/", blank=True)
    preferred_campus = models.ForeignKey(
        "programs.Campus", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    calendar_token = models.CharField(max_length=64, unique=True)
    email_updates = models.BooleanField(
        _("e-mail me progress updates"),
        default=True,
        help_text=_(
            "Approvals, waived steps and credentials recorded. E-mails about "
            "something you must do (a step sent back, your enrollment) are always sent."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.user}"

    def get_photo_url(self):
        return reverse("portal:profile_photo") if self.photo else ""


class Invitation(models.Model):
    """A single-use, expiring link that lets an enrolled person set their password."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.user}"


class EnrollmentQuerySet(OwnedQuerySet):
    def invitation_pending(self):
        """Students who have not accepted their invitation: no password set yet."""
        return self.filter(student__password__startswith=UNUSABLE_PASSWORD_PREFIX)


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        ON_LEAVE = "on_leave", _("On leave")
        GRADUATED = "graduated", _("Graduated")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    student = models.ForeignKey(User, on_delete=models.PROTECT, related_name="enrollments")
    cohort = models.ForeignKey(
        "programs.Cohort", on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.ENROLLED, db_index=True)
    enrolled_on = models.DateField(default=timezone.localdate)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["-enrolled_on", "-id"]
        indexes = [
            # The admin changelist's order (most recent enrollments first).
            models.Index(fields=["-enrolled_on", "-id"], name="accounts_enrollment_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "cohort"], name="accounts_enrollment_once_per_cohort"
            ),
        ]

    def __str__(self):
        return f"{self.student} in {self.cohort}"


class PathQuerySet(OwnedQuerySet):
    owner_lookup = "enrollment__student"

    def certified(self):
        return self.filter(status__in=CertificationPath.CERTIFIED_STATUSES)


class CertificationPath(models.Model):
    """A student's way to one certification. Progress fields are derived by
    accounts.progress.path_recompute whenever a step changes; nothing else writes them."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_TRAINING = "in_training", _("In training")
        ELIGIBLE = "eligible", _("Eligible for the exam")
        EXAM_SCHEDULED = "exam_scheduled", _("Exam scheduled")
        EXAM_PASSED = "exam_passed", _("Exam passed")
        CERTIFIED = "certified", _("Certified")
        RENEWAL_DUE = "renewal_due", _("Renewal due")
        EXPIRED = "expired", _("Expired")

    # A credential is recorded: what is left is keeping it current (CE, renewal).
    CERTIFIED_STATUSES = (Status.CERTIFIED, Status.RENEWAL_DUE, Status.EXPIRED)
    # The exam is behind the student: its date is history, not a deadline.
    EXAM_DONE_STATUSES = (Status.EXAM_PASSED, *CERTIFIED_STATUSES)

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="paths")
    certification = models.ForeignKey(
        "careers.Certification", on_delete=models.PROTECT, related_name="student_paths"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    template_applied_at = models.DateTimeField(
        default=timezone.now, help_text="When the certification's path template was last applied."
    )
    # Derived (one source of truth: accounts.progress).
    progress_percent = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=20, choices=Status, default=Status.NOT_STARTED, db_index=True
    )
    next_step = models.ForeignKey(
        "PathStep", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_due_date = models.DateField(null=True, blank=True, db_index=True)
    recomputed_at = models.DateTimeField(null=True, blank=True)

    objects = PathQuerySet.as_manager()

    class Meta:
        ordering = ["enrollment", "certification__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "certification"], name="accounts_path_once_per_enrollment"
            ),
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100),
                name="accounts_path_progress_at_most_100",
            ),
        ]

    def __str__(self):
        return f"{self.certification.acronym} path of {self.enrollment.student}"

    def get_absolute_url(self):
        return reverse("portal:path_detail", kwargs={"pk": self.pk})

    @property
    def is_certified(self):
        return self.status in self.CERTIFIED_STATUSES

    @property
    def is_read_only(self):
        """A withdrawn student keeps read access but changes nothing."""
        return self.enrollment.status == Enrollment.Status.WITHDRAWN

    def plan_steps(self):
        """The steps that count for this path, in order: its own and the steps it shares
        with the enrollment's other paths (``PathStep.also_counts_for``). Uses prefetched
        ``steps`` and ``shared_steps`` when a view has them."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "steps" in cache and "shared_steps" in cache:
            steps = [*self.steps.all(), *self.shared_steps.all()]
        else:
            steps = PathStep.objects.filter(Q(path=self) | Q(also_counts_for=self)).distinct()
        return sorted(steps, key=lambda s: (s.order, s.pk))


# --- How students read staff decisions ---------------------------------------------------
# The model choices ("Rejected", "Verified", ...) are the staff admin's words. What the
# student reads is worded here, once: a step staff rejected is "sent back", by the
# reviewer named, and every portal page, message and export uses these.

SENT_BACK = _("Sent back")


def staff_name_for_students(user):
    """How the author of a decision is named to a student: their full name, else
    "your campus" (no name recorded, or the account was removed)."""
    return (user.get_full_name() if user is not None else "") or gettext("your campus")


class StepQuerySet(OwnedQuerySet):
    owner_lookup = "path__enrollment__student"

    def of_students(self, students):
        """The steps of these students' paths, found from their paths' ids.

        One more (indexed) query, but the steps are then read through the path index:
        filtered through the joins, a status filter beside it would lead the database
        (SQLite without statistics) to scan the school-wide status index instead."""
        path_ids = list(
            CertificationPath.objects.filter(enrollment__student__in=students).values_list(
                "id", flat=True
            )
        )
        return self.filter(path_id__in=path_ids)

    def awaiting_review(self):
        return self.filter(status=PathStep.Status.SUBMITTED).order_by("submitted_at", "id")

    def open(self):
        """Steps not done and not under review (see ``PathStep.OPEN_STATUSES``)."""
        return self.filter(status__in=PathStep.OPEN_STATUSES)

    def current(self):
        """The steps of the stage a path is in: its certification steps until it is
        certified, its renewal steps after. The other stage's dates are not deadlines."""
        renewal = models.Q(milestone=PathStepTemplate.Milestone.RENEWAL)
        certified = models.Q(path__status__in=CertificationPath.CERTIFIED_STATUSES)
        return self.filter((renewal & certified) | (~renewal & ~certified))

    def student_can_act(self):
        """Leaves out the steps only staff complete: the queryset form of
        ``PathStep.staff_only`` (a check the student may not mark done)."""
        return self.exclude(kind=PathStepTemplate.Kind.CHECK, student_can_complete=False)

    def overdue(self, today):
        """Current open steps whose due date has passed: what makes a path "behind"."""
        return self.current().open().filter(due_date__lt=today)


class PathStep(models.Model):
    """A copy of one template step, so template edits never rewrite a started path."""

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted for review")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        WAIVED = "waived", _("Waived")

    # Open: someone still has to do the step (sent back counts); not done, not in review.
    OPEN_STATUSES = (Status.TODO, Status.IN_PROGRESS, Status.REJECTED)
    DONE_STATUSES = (Status.VERIFIED, Status.WAIVED)

    path = models.ForeignKey(CertificationPath, on_delete=models.CASCADE, related_name="steps")
    template = models.ForeignKey(
        "careers.PathStepTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="student_steps",
    )
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PathStepTemplate.Kind)
    target = models.PositiveIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    requires_verification = models.BooleanField(default=True)
    student_can_complete = models.BooleanField(default=False)
    milestone = models.CharField(
        max_length=20, choices=PathStepTemplate.Milestone, blank=True, default=""
    )
    help_text = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    # A step several paths of one enrollment share (CPR card, coursework, externship) is
    # one row: it belongs to the first path that needed it and counts for the others.
    shared_key = models.SlugField(max_length=40, blank=True)
    also_counts_for = models.ManyToManyField(
        CertificationPath, blank=True, related_name="shared_steps"
    )

    status = models.CharField(max_length=20, choices=Status, default=Status.TODO, db_index=True)
    count = models.PositiveIntegerField(default=0)
    date_value = models.DateField(null=True, blank=True)
    staff_note = models.TextField(blank=True)
    rejection_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["path", "order", "id"]
        indexes = [
            # The verification queue: submitted steps, oldest first, read in index order
            # (no sort of the whole queue). Not a partial index: SQLite cannot use one
            # for "status = %s" with a bound parameter.
            models.Index(
                fields=["status", "submitted_at", "id"], name="accounts_step_review_queue"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="accounts_step_rejection_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    def get_absolute_url(self):
        return f"{self.path.get_absolute_url()}#step-{self.pk}"

    @property
    def is_done(self):
        return self.status in self.DONE_STATUSES

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def staff_only(self):
        """Only staff complete it: a check the student may not mark done (counts, dates
        and uploads always have something for the student to do). In queries:
        ``PathStep.objects.student_can_act()`` leaves these out."""
        return self.kind == PathStepTemplate.Kind.CHECK and not self.student_can_complete

    @property
    def waits_on_school(self):
        """Nothing for the student to do: staff review it, or only staff complete it."""
        return self.status == self.Status.SUBMITTED or (self.is_open and self.staff_only)

    @property
    def is_locked(self):
        """Steps staff verified or waived change only through staff; a step the student
        completed on their own (no verification needed, e.g. the exam date) stays theirs."""
        if self.status == self.Status.WAIVED:
            return True
        return self.status == self.Status.VERIFIED and self.requires_verification

    @property
    def status_label(self):
        # A step that needs no verification is simply "done" once completed.
        if self.status == self.Status.VERIFIED and not self.requires_verification:
            return gettext("Done")
        return self.get_status_display()

    @property
    def student_status_label(self):
        """The step's status as the student reads it (the admin keeps ``status_label``)."""
        if self.status == self.Status.REJECTED:
            return SENT_BACK
        return self.status_label

    @property
    def sent_back_by(self):
        """Who sent the step back, named for the student ("your campus" if unknown): from
        the ``sent_back`` notice a view attached, else the step's prefetched reviews
        (newest first). Never runs a query."""
        notice = getattr(self, "sent_back", None)
        if notice is not None:
            return staff_name_for_students(notice.decided_by)
        if "reviews" in getattr(self, "_prefetched_objects_cache", {}):
            for review in self.reviews.all():
                if review.action == StepReview.Action.REJECTED:
                    return staff_name_for_students(review.reviewer)
        return staff_name_for_students(None)

    @property
    def sent_back_label(self):
        """ "Sent back by Dana Reyes": what the student reads of a step sent back."""
        return gettext("Sent back by %(name)s") % {"name": self.sent_back_by}

    @property
    def count_percent(self):
        if not self.target:
            return 0
        return min(self.count * 100 // self.target, 100)


class EvidenceQuerySet(OwnedQuerySet):
    owner_lookup = "step__path__enrollment__student"


class Evidence(models.Model):
    """A file a student uploaded for a step. Stored outside MEDIA_ROOT under a random
    name; served only through the permission-checked download view."""

    step = models.ForeignKey(PathStep, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to=private_upload_to, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["step", "-uploaded_at"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("portal:evidence_download", kwargs={"pk": self.pk})

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    @property
    def withdrawable(self):
        """The one rule: a student may withdraw a file while staff have not decided on
        it, i.e. its step is not approved or waived and no decision on the step came
        after the upload (uses the step's prefetched reviews when there are)."""
        step = self.step
        if step.status in PathStep.DONE_STATUSES:
            return False
        return not any(review.created_at >= self.uploaded_at for review in step.reviews.all())

    @property
    def of_earlier_submission(self):
        """Part of an earlier submission staff sent back: uploaded before the step's
        latest "sent back" decision (a rejection ``StepReview``). Uses the step's
        prefetched reviews when there are."""
        sent_back = [
            review.created_at
            for review in self.step.reviews.all()
            if review.action == StepReview.Action.REJECTED
        ]
        return bool(sent_back) and self.uploaded_at < max(sent_back)


class StepReview(models.Model):
    """Audit trail: who verified, rejected or waived which step, when and why."""

    class Action(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        WAIVED = "waived", _("Waived")
        REOPENED = "reopened", _("Reopened")

    step = models.ForeignKey(PathStep, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_action_display()} by {self.reviewer} on {self.created_at:%Y-%m-%d}"

    @property
    def student_label(self):
        """The decision as the student reads it (the admin keeps the action's label)."""
        if self.action == self.Action.REJECTED:
            return SENT_BACK
        return self.get_action_display()

    @property
    def student_summary(self):
        """ "Sent back by Dana Reyes": the decision and who made it, for the student."""
        return gettext("%(decision)s by %(name)s") % {
            "decision": self.student_label,
            "name": staff_name_for_students(self.reviewer),
        }


class CredentialQuerySet(OwnedQuerySet):
    def expiring_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=days))


# A credential is "due for renewal" from this many days before it expires.
RENEWAL_WINDOW_DAYS = 90


class Credential(models.Model):
    student = models.ForeignKey(User, on_delete=models.PROTECT, related_name="credentials")
    certification = models.ForeignKey(
        "careers.Certification", on_delete=models.PROTECT, related_name="credentials"
    )
    path = models.OneToOneField(
        CertificationPath,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credential",
    )
    number = models.CharField("credential number", max_length=60, blank=True)
    name_on_credential = models.CharField(max_length=200, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gt=models.F("issued_on")),
                name="accounts_credential_expires_after_issue",
            ),
        ]

    def __str__(self):
        return f"{self.certification.acronym} of {self.student}"

    @property
    def days_left(self):
        if self.expires_on is None:
            return None
        return (self.expires_on - timezone.localdate()).days

    @property
    def is_expired(self):
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def renewal_due(self):
        days = self.days_left
        return days is not None and 0 <= days <= RENEWAL_WINDOW_DAYS


class CEActivityQuerySet(OwnedQuerySet):
    owner_lookup = "credential__student"


class CEActivity(models.Model):
    credential = models.ForeignKey(
        Credential, on_delete=models.CASCADE, related_name="ce_activities"
    )
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    category = models.SlugField(
        max_length=40, help_text="A category of the certification's CE requirements."
    )
    credits = models.DecimalField(max_digits=5, decimal_places=2)
    completed_on = models.DateField()
    proof = models.FileField(
        storage=private_storage, upload_to=private_upload_to, max_length=255, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CEActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = "CE activity"
        verbose_name_plural = "CE activities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(credits__gt=0), name="accounts_ceactivity_credits_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_proof_url(self):
        return reverse("portal:ce_proof_download", kwargs={"pk": self.pk}) if self.proof else ""


class ReminderLog(models.Model):
    """One row per reminder sent: the unique key makes send_reminders idempotent."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(
        max_length=200, help_text="What the reminder is about, e.g. step:12:due:2026-12-01."
    )
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["key", "days_before"], name="accounts_reminder_once"),
        ]

    def __str__(self):
        return f"{self.key} ({self.days_before} days)"


class NoticeQuerySet(OwnedQuerySet):
    def unseen(self):
        return self.filter(seen_at__isnull=True)


class Notice(models.Model):
    """A staff decision on a student's record, as the student is told about it: one row
    per decision, e-mailed once, shown on the dashboard until seen and kept as the
    path's history (``accounts.notices`` creates them and words them)."""

    class Kind(models.TextChoices):
        VERIFIED = "verified", _("Step approved")
        SENT_BACK = "sent_back", _("Step sent back")
        WAIVED = "waived", _("Step waived")
        REOPENED = "reopened", _("Step reopened")
        CREDENTIAL = "credential", _("Credential recorded")
        ENROLLMENT = "enrollment", _("Enrollment status changed")

    # Decisions the student must act on, or must know about: e-mailed even to students
    # who turned progress e-mails off.
    ESSENTIAL_KINDS = (Kind.SENT_BACK, Kind.REOPENED, Kind.ENROLLMENT)

    student = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind)
    enrollment = models.ForeignKey(
        Enrollment, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    path = models.ForeignKey(
        CertificationPath, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    step = models.ForeignKey(
        PathStep, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    # What the notice says of the decision, kept as it was then (titles and statuses change).
    subject = models.CharField(max_length=300)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["student", "seen_at", "-created_at"], name="accounts_notice_unseen"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.student}: {self.subject}"

    @property
    def needs_action(self):
        return self.kind in (self.Kind.SENT_BACK, self.Kind.REOPENED)


class StepAwaitingReview(PathStep):
    """The staff verification queue in the admin (submitted steps, oldest first).

    A proxy, so the queue gets its own admin entry and permissions without a table."""

    class Meta:
        proxy = True
        verbose_name = "step awaiting review"
        verbose_name_plural = "steps awaiting review"


# --- Applications: from a visitor applying online to a student of a cohort --------------


class ApplicationQuerySet(OwnedQuerySet):
    owner_lookup = "applicant"

    def open(self):
        """Applications still moving: submitted and not yet decided, withdrawn or enrolled."""
        return self.filter(status__in=Application.OPEN_STATUSES)

    def for_pipeline(self):
        return self.select_related(
            "applicant", "cohort__offering__program", "cohort__offering__campus"
        )


class Application(models.Model):
    """One person's application to one start date (cohort).

    The applicant fills it in over several steps (a draft they can leave and come back
    to), submits it, and staff take it through documents, interview and decision
    (``accounts.services.applications`` holds every transition and its e-mail).
    Accepting it enrolls the applicant in the cohort on the same account."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # Words shared with other records take a context: an application is feminine.
        SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
        DOCUMENTS_NEEDED = "documents_needed", _("Documents needed")
        INTERVIEW_SCHEDULED = "interview_scheduled", _("Interview scheduled")
        ACCEPTED = "accepted", _("Accepted")
        ENROLLED = "enrolled", pgettext_lazy("application status", "Enrolled")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")

    class Education(models.TextChoices):
        DIPLOMA = "diploma", _("High-school diploma")
        GED = "ged", _("GED or other high-school equivalency certificate")
        FOREIGN = "foreign", _("Secondary-school diploma from outside the U.S.")

    # Submitted and waiting for a decision: what staff work through.
    OPEN_STATUSES = (
        Status.SUBMITTED,
        Status.DOCUMENTS_NEEDED,
        Status.INTERVIEW_SCHEDULED,
        Status.WAITLISTED,
    )
    # The applicant may still change the application or withdraw it.
    WITHDRAWABLE_STATUSES = (Status.DRAFT, *OPEN_STATUSES, Status.ACCEPTED)
    # Finished: nothing more happens to it.
    CLOSED_STATUSES = (Status.ENROLLED, Status.DECLINED, Status.WITHDRAWN)

    applicant = models.ForeignKey(User, on_delete=models.PROTECT, related_name="applications")
    cohort = models.ForeignKey(
        "programs.Cohort", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, db_index=True)
    # About you
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.CharField("street address", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True, default="TX")
    postal_code = models.CharField("ZIP code", max_length=10, blank=True)
    # Education
    education = models.CharField(max_length=20, choices=Education, blank=True)
    school_name = models.CharField(max_length=200, blank=True)
    graduation_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Consent, with the moment it was given
    consent_truthful = models.BooleanField(
        default=False, help_text="Confirmed that the application is true and complete."
    )
    consent_contact = models.BooleanField(
        default=False, help_text="Agreed to be contacted by admissions about the application."
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    # Where it came from
    inquiry = models.ForeignKey(
        "programs.Inquiry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    # Staff's checklist and decision
    interview_at = models.DateTimeField(null=True, blank=True)
    interview_campus = models.ForeignKey(
        "programs.Campus", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    interview_held_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(
        blank=True, help_text="Shown to the applicant when declined or waitlisted."
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrollment = models.OneToOneField(
        Enrollment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    staff_notes = models.TextField(blank=True)
    # When
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-submitted_at"], name="accounts_app_status_recent"),
        ]
        constraints = [
            # One live application per person and start: a second one is the same one.
            models.UniqueConstraint(
                fields=["applicant", "cohort"],
                condition=~Q(status__in=["declined", "withdrawn"]),
                name="accounts_application_one_live_per_start",
            ),
        ]

    def __str__(self):
        name = f"{self.first_name} {self.last_name}".strip() or self.applicant.email
        return f"{name}: application #{self.pk}"

    def get_absolute_url(self):
        return reverse("apply:application", kwargs={"pk": self.pk})

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def can_withdraw(self):
        return self.status in self.WITHDRAWABLE_STATUSES

    @property
    def holds_seat(self):
        """Accepted and not enrolled yet: the seat is the application's until the
        enrollment takes it over (``accounts.cohorts`` counts both)."""
        return self.status == self.Status.ACCEPTED and self.enrollment_id is None


class ApplicationDocumentQuerySet(OwnedQuerySet):
    owner_lookup = "application__applicant"


class ApplicationDocument(models.Model):
    """A document sent with an application (photo ID; diploma, GED or transcript).
    Stored privately like evidence, checked the same way, reviewed by staff."""

    class Kind(models.TextChoices):
        PHOTO_ID = "photo_id", _("Photo ID")
        EDUCATION = "education", _("Diploma, GED certificate or transcript")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Sent back")

    REQUIRED_KINDS = (Kind.PHOTO_ID, Kind.EDUCATION)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind)
    file = models.FileField(storage=private_storage, upload_to=private_upload_to, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    rejection_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ApplicationDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["application", "kind", "-uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    def get_absolute_url(self):
        return reverse("apply:document", kwargs={"pk": self.pk})

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class ApplicationEvent(models.Model):
    """The application's history: every status change, who made it, and what the
    applicant was told (one row per change; the applicant's page lists them)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Application.Status)
    note = models.TextField(blank=True)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    emailed = models.BooleanField(default=False)
    # Shown to the applicant as a notice until they have seen it.
    seen_at = models.DateTimeField(null=True, blank=True)

    # Notes the site writes itself: stored in English, read in the reader's language.
    NEW_DOCUMENTS = gettext_noop("New documents received.")
    START_FILLED_UP = gettext_noop("The start filled up before your application could be accepted.")
    SITE_NOTES = (NEW_DOCUMENTS, START_FILLED_UP)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.application_id}: {self.get_status_display()}"

    @property
    def note_text(self):
        """The note as the applicant reads it: a note the site wrote, translated; what
        staff wrote, as written."""
        return gettext(self.note) if self.note in self.SITE_NOTES else self.note
