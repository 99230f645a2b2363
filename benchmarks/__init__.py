"""Benchmarks of spockc side by side with spock-config and raw Optuna.

Run everything with `benchmarks/run` (see benchmarks/README.md); the package's
entry point is `python -m benchmarks`.
"""
