"""`tieline serve`: the web app on this machine (loopback only unless told otherwise, and then only
once accounts exist), in one process or several (`--workers`), behind a reverse proxy if told which."""

from __future__ import annotations

import ipaddress
import os
import webbrowser
from typing import Annotated

import typer
from rich.console import Console

from tieline.cli.context import app_context
from tieline.errors import ConfigError, InvalidInput


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


def trusted_proxies(text: str | None) -> list[str]:
    """The addresses (or networks) whose X-Forwarded-Proto and X-Forwarded-For are believed: those
    given, comma-separated; none when not given. Never "*": a proxy is named, not any client."""
    found = []
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            network = ipaddress.ip_network(item.strip("[]"), strict=False)
        except ValueError:
            raise InvalidInput(
                f"--forwarded-allow-ips: {item!r} is not an IP address or network (e.g. 127.0.0.1)"
            ) from None
        one = network.prefixlen == network.max_prefixlen
        found.append(str(network.network_address) if one else str(network))
    return found


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
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Processes serving requests (a server with many users: about one per core). "
            "Background syncs still run once each, whichever process takes them.",
        ),
    ] = 1,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            metavar="ADDR[,ADDR]",
            help="Behind a reverse proxy (TLS): the proxy's addresses, whose X-Forwarded-Proto and "
            "X-Forwarded-For are believed (e.g. 127.0.0.1). From any other address they are ignored; "
            "by default from every address.",
        ),
    ] = None,
) -> None:
    """Start the web app and REST API (http://127.0.0.1:8765 by default)."""
    import uvicorn

    app = app_context(ctx)
    err = Console(stderr=True)
    allowed = host_names(host, allow_host or [])
    proxies = trusted_proxies(forwarded_allow_ips)
    public = not is_loopback(host)
    # Reachable by others: listening beyond loopback, or behind a proxy (which listens for them).
    # Without an account, anyone reaching it would be the local owner: refused.
    if public or proxies:
        from tieline.services import accounts as accounts_service

        with app.transaction() as session:
            has_accounts = accounts_service.has_accounts(session)
        if not has_accounts:
            where = f"listen on {host}" if public else "serve behind a proxy"
            raise ConfigError(
                f"refusing to {where}: there are no accounts yet, so anyone who can reach it could read "
                "and change everything; create one first with `tieline user add NAME`"
            )
    if public:
        err.print(
            f"Listening on {host}: anyone who can reach this machine can reach the sign-in page; every "
            "page and API call needs an account's sign-in or token. Use a TLS proxy in front "
            "(docs/deploy.md) so passwords never cross the network in the clear.",
            markup=False,
            highlight=False,
        )
        err.print(
            f"Answering only to the host names {', '.join(allowed)}; add the name you will type in the "
            "browser with --allow-host NAME.",
            markup=False,
            highlight=False,
        )
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/"
    # The proxy's headers only from the addresses named: uvicorn would otherwise believe 127.0.0.1's.
    proxy = {"proxy_headers": bool(proxies), "forwarded_allow_ips": ",".join(proxies)}
    if workers == 1:
        from tieline.web.app import create_app

        web = create_app(app.settings, database=app.db, allowed_hosts=allowed)
        _running(app.console, url, open_browser, workers)
        uvicorn.run(web, host=host, port=port, log_level="warning", **proxy)  # type: ignore[arg-type]
        return
    # Several processes: each builds the app (web/server_app.py) from what is set here. The database
    # is brought to the current schema once, here, before any of them opens it.
    app.db  # noqa: B018
    os.environ["TIELINE_DATABASE_URL"] = app.settings.database_url
    os.environ["TIELINE_DATA_DIR"] = str(app.settings.data_dir)
    os.environ["TIELINE_ALLOWED_HOSTS"] = ",".join(allowed)
    app.close()
    _running(app.console, url, open_browser, workers)
    uvicorn.run(
        "tieline.web.server_app:app", factory=True, workers=workers, host=host, port=port,
        log_level="warning", **proxy,  # type: ignore[arg-type]
    )  # fmt: skip


def _running(console: Console, url: str, open_browser: bool, workers: int) -> None:
    processes = f"; {workers} processes" if workers > 1 else ""
    console.print(f"tieline is running at {url}  (Ctrl+C to stop{processes})", highlight=False)
    if open_browser:
        webbrowser.open(url)


def register(app: typer.Typer) -> None:
    """Attach `serve` to the root app."""
    app.command()(serve)
