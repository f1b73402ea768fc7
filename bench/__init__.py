"""Benchmarks of the real server: `python -m bench.run` (figures) and `python -m bench.load`."""
