"""`tieline serve`: the web app on this machine (loopback only unless told otherwise, loudly)."""

from __future__ import annotations

import ipaddress
import webbrowser
from typing import Annotated

import typer
from rich.console import Console

from tieline.cli.context import app_context


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach."""
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_names(host: str, extra: list[str]) -> list[str]:
    """The Host names the app answers to: loopback's, the address it listens on (unless that is
    every address) and the names the user gives; never "any name"."""
    from tieline.web.app import LOOPBACK_HOSTS

    names = list(LOOPBACK_HOSTS)
    candidates = [] if host in ("0.0.0.0", "::", "") else [host]
    for name in [*candidates, *extra]:
        name = name.strip().lower()
        try:
            if ipaddress.ip_address(name.strip("[]")).version == 6:
                name = f"[{name.strip('[]')}]"
        except ValueError:
            pass
        if name and name not in names:
            names.append(name)
    return names


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8765,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the app in a browser.")] = False,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            help="Another name or address the app may be reached by (repeat for several), e.g. the "
            "machine's name on your network. Requests naming any other host are refused.",
        ),
    ] = None,
) -> None:
    """Start the web app and REST API (http://127.0.0.1:8765 by default)."""
    import uvicorn

    from tieline.web.app import create_app

    app = app_context(ctx)
    err = Console(stderr=True)
    allowed = host_names(host, allow_host or [])
    if not is_loopback(host):
        err.print(
            f"[bold red]WARNING:[/] listening on {host}: anyone who can reach this machine can read and change "
            "your network. tieline has no accounts yet; use 127.0.0.1 unless you know why not."
        )
        err.print(
            f"Answering only to the host names {', '.join(allowed)}; add the name you will type in the "
            "browser with --allow-host NAME.",
            markup=False,
            highlight=False,
        )
    web = create_app(app.settings, database=app.db, allowed_hosts=allowed)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/"
    app.console.print(f"tieline is running at {url}  (Ctrl+C to stop)", highlight=False)
    if open_browser:
        webbrowser.open(url)
    # One process: local mode serves one person, and imports started from the web keep their progress
    # in this process's memory (web/jobs.py), which a second worker could not see. Server mode, with
    # many people, will want workers once import jobs live somewhere every process can read.
    uvicorn.run(web, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Attach `serve` to the root app."""
    app.command()(serve)
