"""The command-line interface: a thin Typer shell over the services."""
