"""`make bench`: a synthetic case load and side-by-side timings of the app and of raw SQL (not a test)."""
