"""The web console: server-rendered pages over the gateway's public REST API."""
