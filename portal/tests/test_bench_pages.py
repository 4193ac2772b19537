"""The pages bench reads wrk's latencies in whatever unit wrk chose (a bare view answers in microseconds)."""

import pytest

from portal.bench_pages import wrk_milliseconds


@pytest.mark.parametrize(
    ("printed", "ms"), [("812.00us", 0.812), ("1.23ms", 1.23), ("2.01s", 2010.0), ("1.05m", 63_000.0)]
)
def test_a_wrk_latency_is_read_in_milliseconds_whatever_its_unit(printed, ms):
    assert wrk_milliseconds(printed) == pytest.approx(ms)
