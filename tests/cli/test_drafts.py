"""`tieline draft N`: the message for a line of the last agenda shown."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.conftest import Cli


def overdue_ana(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--tier", "2", "--email", "ana@acme.example", "--interest", "Climbing")
    cli.ok("log", "coffee", "Ana", "--date", "45 days ago")
    cli.ok("config", "me.name", "Sam Roe")
    cli.ok("config", "me.interests", "climbing")


def test_draft_prints_subject_body_and_mailto_for_a_listed_line(cli: Cli) -> None:
    overdue_ana(cli)
    assert "1. Get in touch with Ana Lima" in cli.ok("today").stdout

    out = cli.ok("draft", "1").stdout

    lines = out.splitlines()
    assert lines[0] == "To: ana@acme.example"
    assert lines[1] == "Subject: Catching up (and Climbing)"
    assert "Hi Ana," in lines
    assert "It has been 6 weeks since our coffee in January, and I was thinking of you." in lines
    assert "Sam Roe" in lines
    assert lines[-1].startswith("mailto:ana@acme.example?subject=Catching%20up")


def test_draft_json_has_the_item_and_the_draft(cli: Cli) -> None:
    overdue_ana(cli)
    cli.ok("today")
    data = cli.json("draft", "1")
    assert data["item"]["title"] == "Get in touch with Ana Lima"
    assert set(data["draft"]) == {"subject", "body", "to", "mailto", "template"}
    assert data["draft"]["template"] == "check_in"
    query = parse_qs(urlsplit(data["draft"]["mailto"]).query)
    assert query["body"][0].replace("\r\n", "\n") == data["draft"]["body"].rstrip("\n")


def test_draft_uses_a_template_from_the_data_directory(cli: Cli, cli_env: dict[str, str | None]) -> None:
    overdue_ana(cli)
    own = Path(str(cli_env["TIELINE_DATA_DIR"])) / "templates" / "drafts"
    own.mkdir(parents=True)
    (own / "check_in.txt.j2").write_text("Subject: Hey {{ first_name }}\n\nShort and mine.\n")
    cli.ok("today")
    out = cli.ok("draft", "1").stdout
    assert "Subject: Hey Ana\n\nShort and mine.\n" in out


def test_draft_without_a_listing_says_to_run_today(cli: Cli) -> None:
    overdue_ana(cli)
    message = cli.user_error("draft", "3", code=1)
    assert "run `tieline today` first" in message


def test_a_broken_user_template_is_one_clear_error(cli: Cli, cli_env: dict[str, str | None]) -> None:
    overdue_ana(cli)
    own = Path(str(cli_env["TIELINE_DATA_DIR"])) / "templates" / "drafts"
    own.mkdir(parents=True)
    (own / "check_in.txt.j2").write_text("Subject: {{ first_name\n")
    cli.ok("today")
    assert "check_in.txt.j2, line 1" in cli.user_error("draft", "1", code=2)
