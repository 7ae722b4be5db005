"""What `docextract sandbox` tells a newcomer after its URL: each provider's base URL, the key,
the seeded IDs, and the shell lines that point the clients and the CLI at it (`--env`)."""

import shlex

from docextract.providers import PROVIDERS

# the IDs a fresh sandbox knows (docextract.sandbox.config.DEFAULT_PROJECTS, Contextual's rule)
SEEDED = {
    "numind": "project numind-invoice (structured extraction)",
    "llamacloud": "configuration cfg-invoice (or an inline --schema)",
    "retab": "project proj_invoice",
    "contextual": "any document and schema UUID but the nil one (the invoice derives from it)",
}


def base_url(url: str, provider: str) -> str:
    return f"{url.rstrip('/')}/{provider}"


def env_lines(url: str, api_key: str) -> list[str]:
    """`export NAME=value` for each provider's key and base-URL variables (eval-able)."""
    lines = []
    for name, provider in PROVIDERS.items():
        lines.append(f"export {provider.env_var}={shlex.quote(api_key)}")
        lines.append(f"export {provider.base_url_env}={shlex.quote(base_url(url, name))}")
    return lines


def summary(url: str, api_key: str) -> list[str]:
    """The lines printed after the `listening on` line."""
    width = max(map(len, PROVIDERS))
    lines = [f"key (every provider): {api_key}", "providers:"]
    for name in PROVIDERS:
        lines.append(
            f"  {name:<{width}}  {base_url(url, name)}  · {SEEDED.get(name, 'see its routes')}"
        )
    lines.append('environment (eval "$(docextract sandbox --env --port PORT)" prints these):')
    lines += [f"  {line}" for line in env_lines(url, api_key)]
    return lines
