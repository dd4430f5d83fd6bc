"""Undo and redo: QUndoCommands that call the services; one QUndoStack per open assessment."""
