"""Every edge follows the person field table (services/person_fields.py): `tieline add` and `tieline
edit`, the web edit form, the API's request bodies and the JSON shape. Each test names the edge that
is out of step. (tests/web/test_ui.py saves every field through the form and reads it back.)"""

from __future__ import annotations

import re
import typing
from html import unescape as html_text
from types import SimpleNamespace

import pytest
import typer
from pydantic import BaseModel

from tieline.cli import people as people_cli
from tieline.models import Person
from tieline.serialise.people import PersonOut, PersonTieOut, person_full
from tieline.services import people as people_service
from tieline.services.person_fields import EDITABLE, PERSON_FIELDS, SCALAR_FIELDS, cli_help
from tieline.web.api.schemas import PersonCreate, PersonUpdate
from tieline.web.templating import templates
from tieline.web.ui.people import profile_context

TABLE = "services/person_fields.py"
KEYS = [f.key for f in PERSON_FIELDS]
EDITABLE_KEYS = [f.key for f in EDITABLE]


def _commands() -> dict[str, typing.Any]:
    """The click commands Typer builds for the people commands, by name."""
    app = typer.Typer()
    people_cli.register(app)
    return dict(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def _annotation(param: typing.Any) -> object:
    """The Python type a parameter converts to (Typer keeps it beside click's own type)."""
    descriptor = getattr(param, "type_descriptor", None)
    return descriptor.annotation if descriptor is not None else getattr(param.type, "name", None)


def cli_out_of_step(command: typing.Any, name: str) -> list[str]:
    """How a people command's parameters differ from the table (empty when they agree)."""
    params = {p.name: p for p in command.params}
    wrong = []
    for field in EDITABLE:
        param = params.get(field.key)
        if param is None:
            wrong.append(f"tieline {name} has no parameter for {field.key}")
            continue
        if name == "add" and field.key == "name":  # the new person's name is the argument
            if param.param_type_name != "argument" or getattr(param, "help", None) != field.help:
                wrong.append(f"tieline add's NAME argument is not the table's name (help {field.help!r})")
            continue
        if param.param_type_name != "option":
            wrong.append(f"tieline {name} takes {field.key} as an {param.param_type_name}, not an option")
            continue
        if tuple(param.opts + param.secondary_opts) != field.flags:
            wrong.append(f"tieline {name} {field.key}: flags {param.opts}, the table says {field.flags}")
        if param.multiple != field.many:
            wrong.append(
                f"tieline {name} {field.key}: repeatable={param.multiple}, the table's many={field.many}"
            )
        if field.kind == "count" and _annotation(param) not in (int, "integer"):
            wrong.append(f"tieline {name} {field.key}: takes {_annotation(param)}, the table counts")
        if field.key != "name" and param.help != cli_help(field):
            wrong.append(
                f"tieline {name} {field.key}: help {param.help!r}, the table says {cli_help(field)!r}"
            )
        if name == "edit" and field.many and f"remove_{field.key}" not in params:
            wrong.append(f"tieline edit has no --remove- option for {field.key}")
    unknown = [p for p in params if p in KEYS and p not in EDITABLE_KEYS]
    wrong += [f"tieline {name} takes {p}, which the table does not let you edit" for p in unknown]
    return wrong


@pytest.mark.parametrize("name", ["add", "edit"])
def test_the_cli_has_one_option_per_editable_field(name: str) -> None:
    wrong = cli_out_of_step(_commands()[name], name)
    assert not wrong, f"the CLI is out of step with {TABLE}:\n" + "\n".join(wrong)


def _body_fields(model: type[BaseModel]) -> dict[str, typing.Any]:
    return dict(model.model_fields)


@pytest.mark.parametrize("model", [PersonCreate, PersonUpdate])
def test_the_api_request_bodies_take_every_editable_field(model: type[BaseModel]) -> None:
    fields = _body_fields(model)
    assert set(fields) == set(EDITABLE_KEYS), (
        f"the API's {model.__name__} is out of step with {TABLE}: "
        f"missing {sorted(set(EDITABLE_KEYS) - set(fields))}, extra {sorted(set(fields) - set(EDITABLE_KEYS))}"
    )
    for field in EDITABLE:
        info = fields[field.key]
        many = "list" in str(info.annotation)
        assert many == field.many, (
            f"the API's {model.__name__}.{field.key}: a list is {many}, the table's many={field.many}"
        )
        bounds = {type(m).__name__: m for m in info.metadata}
        if field.low is not None:
            assert bounds["Ge"].ge == field.low and bounds["Le"].le == field.high, (
                f"the API's {model.__name__}.{field.key}: bounds {bounds}, the table says {field.low}-{field.high}"
            )


def _blank_person() -> Person:
    person = Person(id=1, display_name="Ana Lima", tier=4, archived=False)
    person.emails, person.phones, person.links, person.tags, person.topics = [], [], [], [], []
    return person


def _differ(found: list[str]) -> str:
    """How a list of keys differs from the table's."""
    missing, extra = [k for k in KEYS if k not in found], [k for k in found if k not in KEYS]
    return f"missing {missing}, extra {extra}" if missing or extra else f"in another order: {found}"


def test_the_json_shape_has_every_field_in_the_tables_order() -> None:
    declared = list(typing.get_type_hints(PersonOut))
    assert declared == KEYS, f"serialise.people.PersonOut is out of step with {TABLE}: {_differ(declared)}"
    printed = list(person_full(_blank_person()))
    assert printed == KEYS, f"serialise.people.person_full is out of step with {TABLE}: {_differ(printed)}"
    api = list(typing.get_type_hints(PersonTieOut))[: len(KEYS)]
    assert api == KEYS, (
        f"serialise.people.PersonTieOut (the API's person) is out of step with {TABLE}: {_differ(api)}"
    )
    for field in PERSON_FIELDS:
        many = typing.get_origin(typing.get_type_hints(PersonOut)[field.key]) is list
        assert many == field.many, (
            f"serialise.people.PersonOut.{field.key}: a list is {many}, the table's many={field.many}"
        )


def test_every_field_you_or_an_import_may_set_is_stored_and_changed_by_the_service() -> None:
    special = {"display_name", "birthday"}  # the name folds for sorting; a birthday is three columns
    for key in SCALAR_FIELDS:
        assert key in special or hasattr(Person, key), (
            f"{TABLE} lets you set {key}, which Person does not store"
        )
    assert set(people_service.LIST_FIELDS) == {f.key for f in PERSON_FIELDS if f.many}


def test_the_web_form_has_one_input_per_editable_field() -> None:
    request = SimpleNamespace(state=SimpleNamespace(csrf_token="token"))
    context = profile_context(_blank_person(), editing=True)
    html = templates.env.get_template("ui/_person_profile.html").render(request=request, **context)
    inputs = [
        n for n in re.findall(r'<(?:input|select|textarea)[^>]*\bname="([a-z_]+)"', html) if n != "csrf_token"
    ]
    assert inputs == EDITABLE_KEYS, (
        f"the web edit form is out of step with {TABLE}: {inputs} != {EDITABLE_KEYS}"
    )
    for field in EDITABLE:
        label = re.search(rf'<label for="e-{field.key}">([^<]*)', html)
        assert label and html_text(label.group(1)).strip() == field.label, (
            f"the web form labels {field.key} {label}"
        )
