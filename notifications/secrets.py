"""Secrets from settings or, when absent there, from Prefect Secret blocks (masked in the UI and logs)."""

from pydantic import SecretStr

SMTP_PASSWORD_BLOCK = "thidua-smtp-password"
ZALO_APP_SECRET_BLOCK = "thidua-zalo-app-secret"


def resolve_secret(value: SecretStr | None, block_name: str) -> str | None:
    """`value`, or the Prefect Secret block `block_name` if `value` is unset, or None if neither exists."""
    if value is not None:
        return value.get_secret_value()
    from prefect.blocks.system import Secret

    try:
        return str(Secret.load(block_name).get())
    except ValueError:  # no block of that name
        return None
