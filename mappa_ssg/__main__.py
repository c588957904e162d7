"""``python -m mappa_ssg`` is the ``mappa`` command."""
from .cli import run

run()
