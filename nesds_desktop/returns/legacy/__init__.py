"""Reading returns councils kept in their own spreadsheets (see DOMAIN.md, "Legacy returns")."""
