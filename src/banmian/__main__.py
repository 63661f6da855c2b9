"""``python -m banmian``: the command line."""

import sys

from banmian.cli import main

sys.exit(main())
