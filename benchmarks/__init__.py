"""Benchmarks: each measures a cost next to its baseline in the same run and reports ratios."""
