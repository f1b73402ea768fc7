"""``python -m app.cli``: the ``autograd-viz`` command without its script."""

import sys

from app.cli import main

sys.exit(main())
