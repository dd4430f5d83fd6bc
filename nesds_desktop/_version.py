"""The application's version; kept equal to pyproject.toml by a test."""

__version__ = "0.1.0"
APP_NAME = "NeSDS Workbook"
