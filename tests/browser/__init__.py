"""Real-browser tests of the built site (Playwright + Debian's Chromium, pages opened from file://).

A package (this file) so that its conftest and modules never clash with ``tests/conftest.py``.
"""
