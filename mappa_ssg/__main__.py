"""``python -m mappa_ssg`` is the ``mappa`` command."""
from .cli import main

main(prog_name="mappa")
