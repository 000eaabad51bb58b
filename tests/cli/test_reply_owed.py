"""A reply owed from mail already there: `tieline import` of an mbox file or a LinkedIn export, then
`tieline today` says "Reply to ..." until you answer; a backup carries it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import Cli, scratch_database

# The clock says Tuesday 10 March 2026, 10:00 UTC.
LUNCH = """From ana.lima@example.org Fri Mar  6 09:30:00 2026
Date: Fri, 06 Mar 2026 09:30:00 +0000
From: Ana Lima <ana.lima@example.org>
To: Me <me@example.org>
Subject: Lunch next week?
Message-ID: <lunch-1@example.org>

Are you free on Thursday?

"""
LUNCH_WITH_BO = LUNCH.replace(
    "To: Me <me@example.org>", "To: Me <me@example.org>\nCc: Bo Chen <bo.chen@example.org>"
)
OFFSITE = """From bo.chen@example.org Thu Mar  5 08:00:00 2026
Date: Thu, 05 Mar 2026 08:00:00 +0000
From: Bo Chen <bo.chen@example.org>
To: Me <me@example.org>, Ana Lima <ana.lima@example.org>
Subject: Team offsite
Message-ID: <offsite-1@example.org>

Dates for the offsite.

"""
QUESTION_AND_ANSWER = """From cy.dorn@example.org Wed Mar  4 08:00:00 2026
Date: Wed, 04 Mar 2026 08:00:00 +0000
From: Cy Dorn <cy.dorn@example.org>
To: Me <me@example.org>
Subject: A quick question
Message-ID: <question-1@example.org>

Which library?

From me@example.org Mon Mar  9 18:00:00 2026
Date: Mon, 09 Mar 2026 18:00:00 +0000
From: Me <me@example.org>
To: Cy Dorn <cy.dorn@example.org>
Subject: Re: A quick question
Message-ID: <answer-1@example.org>
In-Reply-To: <question-1@example.org>

This one.

"""


def people(cli: Cli) -> None:
    cli.ok("config", "me.emails", "me@example.org")
    cli.ok("add", "Ana Lima", "--email", "ana.lima@example.org")
    cli.ok("add", "Bo Chen", "--email", "bo.chen@example.org")
    cli.ok("add", "Cy Dorn", "--email", "cy.dorn@example.org")


def replies(cli: Cli) -> list[dict[str, Any]]:
    return [item for item in cli.json("today")["items"] if item["kind"] == "reply"]


def test_an_imported_mbox_message_to_me_alone_is_a_reply_owed_until_done(cli: Cli, tmp_path: Path) -> None:
    people(cli)
    mbox = tmp_path / "mail.mbox"
    mbox.write_text(LUNCH + OFFSITE + QUESTION_AND_ANSWER)
    cli.ok("import", str(mbox))

    out = cli.ok("today").stdout
    assert "1. Reply to Ana Lima: Lunch next week?" in out
    assert "Ana wrote to you alone on Friday; four days without an answer" in out
    # Bo wrote to a group; Cy was answered on Monday.
    [line] = replies(cli)
    assert (line["person"], line["deadline"]) == ("Ana Lima", "2026-03-09")

    cli.ok("done", "1")
    assert replies(cli) == []
    assert "Reply to" not in cli.ok("today").stdout
    timeline = cli.ok("show", "Ana Lima").stdout
    assert "replied to Ana Lima: Lunch next week? (from the agenda)" in timeline


def test_a_re_import_changes_nothing_and_a_message_now_to_others_too_owes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    people(cli)
    mbox = tmp_path / "mail.mbox"
    mbox.write_text(LUNCH)
    cli.ok("import", str(mbox))
    again = cli.json("import", str(mbox))
    counts = again["counts"]["interactions"]
    assert (counts["unchanged"], counts["updated"]) == (1, 0)
    assert [line["title"] for line in replies(cli)] == ["Reply to Ana Lima: Lunch next week?"]

    # The same message (its Message-ID) seen again with Bo on Cc: it was never to you alone.
    mbox.write_text(LUNCH_WITH_BO)
    changed = cli.json("import", str(mbox))
    assert changed["counts"]["interactions"]["updated"] == 1
    assert replies(cli) == []
    # ... and undoing that import brings the line back.
    cli.ok("import", "undo", str(changed["run_id"]))
    assert [line["title"] for line in replies(cli)] == ["Reply to Ana Lima: Lunch next week?"]


def test_a_linkedin_message_to_me_alone_is_a_reply_owed(cli: Cli, tmp_path: Path) -> None:
    export = tmp_path / "linkedin"
    export.mkdir()
    (export / "Profile.csv").write_text("First Name,Last Name,Headline\nCasey,Moreau,Engineer\n")
    (export / "Connections.csv").write_text(
        'Notes:\n"Some addresses are missing."\n\n'
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Lima,https://www.linkedin.com/in/ana-lima-made-up,,Acme,Engineer,16 Dec 2024\n"
        "Bo,Chen,https://www.linkedin.com/in/bo-chen-made-up,,Acme,Designer,16 Dec 2024\n"
    )
    (export / "messages.csv").write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
        "CONTENT,FOLDER,ATTACHMENTS,IS MESSAGE DRAFT\n"
        "c-1,,Ana Lima,https://www.linkedin.com/in/ana-lima-made-up,Casey Moreau,"
        "https://www.linkedin.com/in/casey-moreau-made-up,2026-03-05 18:00:00 UTC,,Coffee soon?,INBOX,,No\n"
        # Bo asked, and Casey answered the next day: nothing owed.
        "c-2,,Bo Chen,https://www.linkedin.com/in/bo-chen-made-up,Casey Moreau,"
        "https://www.linkedin.com/in/casey-moreau-made-up,2026-03-04 18:00:00 UTC,,Portfolio review?,INBOX,,No\n"
        "c-2,,Casey Moreau,https://www.linkedin.com/in/casey-moreau-made-up,Bo Chen,"
        "https://www.linkedin.com/in/bo-chen-made-up,2026-03-05 09:00:00 UTC,,Sure,SENT,,No\n"
    )
    cli.ok("import", str(export))

    out = cli.ok("today").stdout
    assert "Reply to Ana Lima's LinkedIn message" in out
    assert "Ana wrote to you alone on Thursday; five days without an answer" in out
    assert [line["person"] for line in replies(cli)] == ["Ana Lima"]


def test_a_backup_carries_the_reply_owed(
    cli: Cli, backend: str, cli_env: dict[str, str | None], tmp_path: Path
) -> None:
    people(cli)
    mbox = tmp_path / "mail.mbox"
    mbox.write_text(LUNCH)
    cli.ok("import", str(mbox))
    backup = tmp_path / "backup.json"
    cli.ok("backup", str(backup))
    with scratch_database(backend, tmp_path) as url:
        other = Cli(database_url=url, env=cli_env)
        other.ok("restore", str(backup))
        assert [line["title"] for line in replies(other)] == ["Reply to Ana Lima: Lunch next week?"]
