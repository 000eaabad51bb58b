"""The MCP server (`tieline mcp`, issue 18): the network offered to a local AI assistant as tools.

An edge like the CLI and the web app: it parses a tool call's arguments, runs one transaction through
the services and answers with the JSON shapes `--json` prints (`serialise`). `server.py` builds the
server over stdio, `tools.py` says what a tool is, `tools_read.py` and `tools_write.py` hold the tools
(the writing ones offered only under `--allow-writes`), `errors.py` turns domain errors into words.
"""
