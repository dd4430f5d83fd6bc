"""Command groups of the command line; each module's ``register`` adds its subcommands."""
