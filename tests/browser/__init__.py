"""Browser tests. A package, so that the package-scoped browser and server of conftest.py
stop when these tests are done rather than at the end of the whole run."""
