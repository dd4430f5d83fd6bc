"""``python -m nesds_desktop``: the same entry point as ``nesds-desktop``."""

import sys

from nesds_desktop.app import main

sys.exit(main())
