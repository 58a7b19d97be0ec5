"""Benchmarks behind the Performance page: ``python -m benchmarks.bench --help``."""
