"""NeSDS Workbook: self-assessment against the NeSDS e-Standards."""

from nesds_desktop._version import APP_NAME, __version__

__all__ = ["APP_NAME", "__version__"]
