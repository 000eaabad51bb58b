"""Benchmarks. `python -m bench` times the demo network, search and the person page, each figure beside
a floor measured in the same run; `python -m bench.imports` and `python -m bench.parsers` time imports.

Not part of the test suite: figures depend on the machine and on what else it is doing.
"""
