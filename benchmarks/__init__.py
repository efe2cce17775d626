"""The book's benchmarks: build times, memory and training throughput.

Run them with ``make benchmark`` (``python -m benchmarks``); see
``benchmarks/__main__.py``.
"""
