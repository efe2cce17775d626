"""dlbook.devices: the device's matrix product, and the published GPU peaks."""

from urllib.parse import urlsplit

import pytest

from dlbook.devices import PUBLISHED_FP32_PEAKS, matmul_flops_per_second


def test_the_matmul_rate_is_the_products_flops_over_its_best_time():
    result = matmul_flops_per_second(n=32, repeats=3)
    assert len(result["all_seconds"]) == 3
    assert result["seconds"] == min(result["all_seconds"])
    assert result["flops_per_second"] == pytest.approx(
        2 * 32**3 / result["seconds"])


def test_the_matmul_timing_checks_its_arguments():
    with pytest.raises(ValueError, match="repeats == 0, must be >= 1"):
        matmul_flops_per_second(n=4, repeats=0)
    with pytest.raises(TypeError, match="n must be an instance of int"):
        matmul_flops_per_second(n=4.5)


def test_every_published_peak_is_a_rate_with_its_vendors_page():
    assert PUBLISHED_FP32_PEAKS
    for flops, source in PUBLISHED_FP32_PEAKS.values():
        assert flops > 1e12
        assert urlsplit(source).scheme == "https" and urlsplit(source).netloc

