"""Fake peers for tests: real servers and real executables that answer like the real ones."""
