"""Composite widgets shown in the main window."""
