"""Helpers shared by tests: stores ready to use, and programs tests run as child processes."""
