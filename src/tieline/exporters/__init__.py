"""Exporters: the owner's data written out in formats other programs read (iCalendar feed, later
vCard, CSV and a JSON backup). Each module builds bytes or records; the CLI writes the file."""
