"""Helpers the test modules share: hand-made warehouses, registries, the demo's published warehouse."""
