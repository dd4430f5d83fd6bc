"""Plain-Python domain model: no Qt, no SQL, no file formats."""
