"""Sub-commands of the ``interviewer`` CLI: each module has ``add_arguments`` and ``run``."""
