"""Jinja2 environments for the package's templates, each overridable by a file in the data directory.

A user copies a template from `src/tieline/templates/` into `<data_dir>/templates/` (same relative
path) and edits it; the copy wins. Plain-text templates are rendered without escaping, HTML ones
with autoescaping on. Missing values render as nothing, never as "None".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tieline.errors import ConfigError, InvalidInput

if TYPE_CHECKING:  # Jinja is imported by the functions that use it: most commands never render
    import jinja2

PACKAGE_DIR = "templates"


def _blank_none(value: Any) -> Any:
    # `finalize` sees every {{ expression }}: a None (no title, no notes) prints as nothing.
    return "" if value is None else value


def and_list(values: Any) -> str:
    """["a", "b", "c"] -> "a, b and c" (a Jinja filter: `{{ interests | and_list }}`)."""
    items = [str(v) for v in values or [] if v is not None and str(v) != ""]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def environment(*, subdir: str = "", data_dir: Path | None, autoescape: bool) -> jinja2.Environment:
    """Templates from `<data_dir>/templates/<subdir>` first, then the package's own."""
    import jinja2

    package_path = f"{PACKAGE_DIR}/{subdir}".rstrip("/")
    loaders: list[jinja2.BaseLoader] = []
    if data_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(Path(data_dir) / package_path)))
    loaders.append(jinja2.PackageLoader("tieline", package_path))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=autoescape,
        undefined=jinja2.ChainableUndefined,  # {{ missing.attr }} is empty, not an error
        finalize=_blank_none,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["and_list"] = and_list
    return env


def render(env: jinja2.Environment, name: str, values: dict[str, Any]) -> str:
    """Render one template; a missing or broken template is a user-fixable error naming the file."""
    import jinja2

    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        raise InvalidInput(f"no template named {name!r}") from None
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise ConfigError(f"template {where}, line {exc.lineno}: {exc.message}") from None
    try:
        return template.render(values)
    except jinja2.TemplateError as exc:
        raise ConfigError(f"template {template.filename or name}: {exc}") from None
