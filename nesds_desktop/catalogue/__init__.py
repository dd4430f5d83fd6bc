"""Standards catalogue: release files, validation, content hash, crosswalks."""
