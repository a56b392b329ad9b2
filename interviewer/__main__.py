"""``python -m interviewer …`` runs the CLI (the same as the ``interviewer`` console script)."""
import sys

from interviewer.cli import main

sys.exit(main())
