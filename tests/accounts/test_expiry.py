from datetime import date

import pytest

from accounts import progress
from careers.models import Certification

FROM_END = Certification.ExpiryRule.FROM_END_OF_MONTH
FROM_ISSUE = Certification.ExpiryRule.FROM_ISSUE_DATE


def cert(months, rule):
    return Certification(renewal_months=months, expiry_rule=rule)


@pytest.mark.parametrize(
    ("issued", "expires"),
    [
        (date(2024, 1, 15), date(2029, 1, 31)),  # CMA: 60 months from the end of the month
        (date(2024, 1, 31), date(2029, 1, 31)),
        (date(2024, 2, 1), date(2029, 2, 28)),  # leap year issue, no Feb 29 in 2029
        (date(2024, 2, 29), date(2029, 2, 28)),
        (date(2023, 2, 10), date(2028, 2, 29)),  # expiry lands in a leap February
        (date(2024, 12, 31), date(2029, 12, 31)),
    ],
)
def test_cma_rule_counts_from_the_end_of_the_month(issued, expires):
    assert progress.credential_expiry(certification=cert(60, FROM_END), issued_on=issued) == expires


@pytest.mark.parametrize(
    ("issued", "expires"),
    [
        (date(2024, 3, 15), date(2026, 3, 15)),  # NHA: 24 months from the issue date
        (date(2024, 2, 29), date(2026, 2, 28)),
        (date(2023, 8, 31), date(2025, 8, 31)),
        (date(2025, 12, 31), date(2027, 12, 31)),
    ],
)
def test_nha_rule_counts_from_the_issue_date(issued, expires):
    assert (
        progress.credential_expiry(certification=cert(24, FROM_ISSUE), issued_on=issued) == expires
    )


def test_month_arithmetic_clamps_to_the_last_day():
    assert progress.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert progress.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert progress.add_months(date(2025, 3, 31), 1) == date(2025, 4, 30)
    assert progress.add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert progress.add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert progress.add_months(date(2025, 1, 10), -13) == date(2023, 12, 10)
    assert progress.end_of_month(date(2028, 2, 3)) == date(2028, 2, 29)


def test_certification_without_a_cycle_never_expires():
    assert (
        progress.credential_expiry(certification=cert(None, FROM_ISSUE), issued_on=date(2024, 1, 1))
        is None
    )


def test_rma_three_year_cycle_from_issue():
    assert progress.credential_expiry(
        certification=cert(36, FROM_ISSUE), issued_on=date(2024, 5, 31)
    ) == date(2027, 5, 31)
