"""Hypothesis strategies for hostile input, shared by the fuzz tests."""

from urllib.parse import quote_from_bytes

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n\r\nSet-Cookie: x=1",
    "\u202e\u200b\ufeff",
    "\ud7ff\ue000\uffff",
    "😀" * 50,
    "x" * 100_000,
    "9" * 5000,
    "-1",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "0x10",
    "١٢٣",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "[]",
    "{}",
    "null",
    "true",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "'; DROP TABLE programs_inquiry;--",
    "%00",
    "%s%s%s%n",
    "{{ 7*7 }}",
    "../../../../etc/passwd",
    "//evil.example",
    "javascript:alert(1)",
]

hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=200),  # any code point, NUL and other control characters included
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), max_size=30),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(str),
)
# A list where one value is expected: the same field sent two or three times.
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=2, max_size=3))


def raw_query(names):
    """A raw query string: any bytes percent-encoded, repeated keys, stray separators."""
    pair = st.tuples(st.sampled_from([*names, "page", "utm_source", ""]), st.binary(max_size=60))
    return st.lists(pair, max_size=6).map(
        lambda pairs: "&".join(f"{name}={quote_from_bytes(value)}" for name, value in pairs)
    ) | st.sampled_from(["&&&", "=", "a=%", "a=%zz", "%FF%FE=%C0%AF", "a[]=1&a[]=2", "?"])


def last(value):
    """What QueryDict.get() returns for a scalar or a list."""
    return value[-1] if isinstance(value, list) else value
