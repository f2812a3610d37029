"""The legacy résumé optimizer (Flask + SQLite) that cutover migrates from.

It is deliberately small and plausible: the kind of app CVLens replaces. Its JSON
shapes are documented in README.md so the new backend can reproduce them.
"""

from examples.legacy_flask.app import create_app

__all__ = ["create_app"]
