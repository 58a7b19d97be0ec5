"""Browser tests: the built site in a real Chromium (see conftest.py)."""
