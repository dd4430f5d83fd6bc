"""Qt item models over services: they hold no data beyond what they show."""
