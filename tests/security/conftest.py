# ruff: noqa: F811  (pytest fixtures imported from other test packages)
"""Fixtures for the security tests: a student's records with private files."""

from datetime import date

import pytest

from accounts import services
from tests.accounts import files
from tests.accounts.conftest import (  # noqa: F401  (fixtures shared with the portal tests)
    certification,
    cohort,
    enroll,
    other_path,
    path,
    step,
)


@pytest.fixture
def records(path, student):
    """A student's path with an evidence file, a credential and a CE proof."""
    evidence = services.evidence_submit(step=step(path, "CPR card"), file=files.pdf(), user=student)
    credential = services.credential_record(path=path, issued_on=date(2026, 1, 5))
    activity = services.ce_activity_add(
        credential=credential,
        user=student,
        title="Update",
        provider="AAMA",
        category="clinical",
        credits="1",
        completed_on=date(2026, 2, 1),
        proof=files.png("proof.png"),
    )
    return {"path": path, "evidence": evidence, "activity": activity, "credential": credential}
