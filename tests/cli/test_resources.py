"""`tieline share` and `tieline resources`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Cli
from tests.test_docs import documented_keys


def test_share_suggests_then_shares_once_with_a_favour_and_a_message(cli: Cli) -> None:
    cli.ok("add", "Bo Chen", "--interest", "rust", "--need", "hiring")
    cli.ok("add", "Cy Dee", "--expertise", "Rust programming")
    url = "https://ex.org/rust-hiring"
    suggested = cli.json("share", url, "--topic", "rust", "--topic", "hiring", "--title", "Rust hiring guide")
    assert list(suggested) == ["resource", "suggestions"]
    assert list(suggested["resource"]) == documented_keys()["resource"]
    assert list(suggested["suggestions"][0]) == documented_keys()["resource suggestion"]
    assert [(s["person"], s["reasons"]) for s in suggested["suggestions"]] == [
        ("Bo Chen", ["interested in rust", "needs: hiring"]),
        ("Cy Dee", ["expertise: Rust programming"]),
    ]
    out = cli.ok("share", url, "--to", "Bo", "--note", "thought of you").stdout
    assert "shared with Bo Chen: favour and message logged" in out
    assert "already had it; nothing changed" in cli.ok("share", url, "--to", "Bo").stdout
    assert cli.json("favours", "Bo")["given"] == 1
    [message] = cli.json("show", "Bo")["timeline"]
    assert message["notes"] == f"Shared Rust hiring guide: {url}\nthought of you"
    assert [s["person"] for s in cli.json("share", url)["suggestions"]] == ["Cy Dee"]
    [kept] = cli.json("resources")
    assert kept["topics"] == ["rust", "hiring"]
    assert [s["person"] for s in kept["shared_with"]] == ["Bo Chen"]
    assert "Rust hiring guide" in cli.ok("resources").stdout


def test_a_mistyped_recipient_leaves_nothing_behind(cli: Cli, snapshot: Callable[[], Any]) -> None:
    cli.ok("add", "Bo Chen")
    before = snapshot()
    cli.user_error("share", "https://ex.org/a", "--topic", "x", "--to", "Nobody Known", code=1)
    assert "no topics" in cli.user_error("share", "https://ex.org/a", code=2)
    assert "unknown resource kind" in cli.user_error("share", "https://ex.org/a", "--kind", "meme", code=2)
    assert snapshot() == before
