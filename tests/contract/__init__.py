"""Contract tests: every interaction in tests/fixtures/ (reference or recorded) is checked against
the vendored spec (check 1), the generated models (check 2) and the requests the generated client
builds (check 3).

The helpers here are imported as `contract.<module>` (tests/ is on sys.path via its conftest).
"""
