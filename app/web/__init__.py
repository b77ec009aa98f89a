"""The web layer every area's views stand on: view helpers (pages), the security baseline, caching and
compression, the database-down 503, the access log, flashed messages, the base form and the error pages.
Nothing below the views (models, services, queries) imports from here (tests/test_architecture.py)."""
