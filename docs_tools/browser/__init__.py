"""The browser tooling, in one place: which Chromium (chromium), the built site served as GitHub Pages
serves it (served), page loads and the page sweep (pageload), the accessibility and phone audits
(audit) with the sweep's cache (sweep_cache), and screenshots for review (screenshots).

The browser tests (tests/browser/) and ``make screenshots`` use them.
"""
