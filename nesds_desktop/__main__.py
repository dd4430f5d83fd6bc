"""``python -m nesds_desktop``: the same entry point as ``nesds-desktop``."""

import sys

from nesds_desktop.app import main

# Guarded: a multiprocessing worker may import this module under another name.
if __name__ == "__main__":
    sys.exit(main())
