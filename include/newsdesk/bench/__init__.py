"""Benchmarks: each prints Newsdesk's figures beside a naive baseline measured in the same run.

Performance is measured here, never in timed tests.
"""
