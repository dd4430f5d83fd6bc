"""Qt widgets only; logic lives in :mod:`nesds_desktop.services`."""
