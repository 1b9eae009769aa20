"""Benchmarks of the case tracker (issue 4): see BENCHMARKS.md and bench/run.py."""
