"""Excel returns: the workbook an authority submits or keeps as its record.

:mod:`return_writer` writes a return (openpyxl); :mod:`return_reader` reads one this
application exported, after someone edited it in a spreadsheet program, and says
what was changed (python-calamine).  :mod:`layout` is what the two agree on.
"""
