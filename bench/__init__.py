"""neowatch's benchmark (not part of the tests): `python bench/run.py [--quick]` writes docs/BENCHMARKS.md."""
