"""The JSON shapes of `--json` output and of the REST API, one module per subject.

Each shape is declared once, here, as a TypedDict beside the function that builds it; the API takes
its response models from these (`web/api/schemas.py` adds only what the API alone returns), and
docs/json.md documents them (`tests/test_docs.py` checks every documented shape against what the CLI
and the API print). So the direction is serialise -> API: change a shape here and both follow.

`values` writes single values (times, dates, birthdays); `people`, `interactions`, `organisations`,
`agenda`, `events`, `growth` (opportunities, resources, mentorship, knows, introductions, goals),
`network` (the analytics), `favours`, `followups` and `imports` hold the shapes of their subject.
Builders read plain attributes only, so the types they take are imported for type checking alone.
"""
