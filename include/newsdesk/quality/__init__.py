"""The quality gate: Great Expectations suites run on a run's build, and the settings they read."""
