"""Shared fixtures of the tests and the benchmarks (synthetic data only)."""
