"""Documents for people outside the workshop (reportlab): the PDF action plan.

Imports only :mod:`nesds_desktop.domain`; the services layer gathers the data.
"""
