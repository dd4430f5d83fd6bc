"""The assessment file that travels by email: its format (``file_format``), its zip container
(``container``) and the three-way merge of copies (``merge``).  Plain Python over files and
plain data: no store, no Qt; :mod:`nesds_desktop.services.exchange_service` joins it to the store."""
