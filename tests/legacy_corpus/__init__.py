"""Legacy-style council returns generated from the catalogue, each with the truth for its rows."""
