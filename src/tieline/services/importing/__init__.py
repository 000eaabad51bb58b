"""Saving what the parsers in `importers/` read: one transaction, idempotent, undoable.

`save.save` takes any parser's records in batches: `people.PeopleWriter` resolves and stores person
records (their fields made comparable by `record_fields`, applied to people who exist by `apply`),
`activity.ActivityWriter` what happened with them, and `changelog.ChangeLog` records every change
so `services.imports.undo_run` can take the run back. The queries all live in `repo/`.
"""
