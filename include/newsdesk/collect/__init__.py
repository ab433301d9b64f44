"""Collecting: the source registry, fetching, feed and page parsing, record building, the landing zone."""
