"""Demo accounts for development. Never created with DEBUG off; no fixed passwords."""

import secrets

from allauth.account.models import EmailAddress

from accounts.models import User

DEMO_STAFF_EMAIL = "staff@demo.trinitycareer.example"
DEMO_STUDENT_EMAIL = "student@demo.trinitycareer.example"

DEMO_ACCOUNTS = [
    {
        "email": DEMO_STAFF_EMAIL,
        "first_name": "Dana",
        "last_name": "Reyes",
        "is_staff": True,
        "is_superuser": True,
        "label": "staff (admin at /admin/)",
    },
    {
        "email": DEMO_STUDENT_EMAIL,
        "first_name": "Maria",
        "last_name": "Lopez",
        "is_staff": False,
        "is_superuser": False,
        "label": "student (portal at /portal/)",
    },
]


def ensure_account(*, email, first_name, last_name, is_staff=False, is_superuser=False):
    """Create (or find) a verified account; returns (user, created)."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": is_staff,
            "is_superuser": is_superuser,
        },
    )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


def load(*, stdout, style, with_accounts, reset_passwords=False, **kwargs):
    if not with_accounts:
        return
    lines = []
    for spec in DEMO_ACCOUNTS:
        fields = {k: v for k, v in spec.items() if k != "label"}
        user, created = ensure_account(**fields)
        if created or reset_passwords:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
            lines.append(f"  {spec['label']}: {user.email}  password: {password}")
    if lines:
        stdout.write(style.WARNING("Demo accounts (passwords are shown only this once):"))
        for line in lines:
            stdout.write(line)
    else:
        stdout.write(
            "Demo accounts exist: "
            + ", ".join(spec["email"] for spec in DEMO_ACCOUNTS)
            + ". Run `make demo-passwords` for new passwords."
        )
