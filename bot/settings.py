"""Settings, validated once at start: config/citebot.toml, overridden by CITEBOT_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from bot.errors import ConfigError

DEFAULT_CONFIG = Path("config/citebot.toml")


class Settings(BaseSettings):
    knowledge_dir: Path = Path("knowledge")
    data_dir: Path = Path("data")
    database_url: str = ""
    log_level: str = "INFO"  # discord, slack, serve; the other commands log warnings only
    log_format: str = "text"  # text | json (one JSON object a line, for log collectors)
    user_hash_salt: SecretStr | None = None  # CITEBOT_USER_HASH_SALT; else a salt file in data_dir
    discord_message_content: bool = False  # the privileged intent; mentions and DMs work without it
    discord_shard_count: int | None = None  # None: Discord's recommendation; set with shard ids to spread processes
    discord_shard_ids: list[int] | None = None  # the shards this process runs, e.g. [0, 1] of 4
    discord_admin_role_ids: list[int] = []  # besides members with Manage Server
    slack_admin_user_ids: list[str] = []
    slack_admin_usergroup: str = ""  # a user group id (S…) whose members are admins
    redis_url: str = ""  # redis://host:6379/0 — conversations and answered Slack events shared by replicas
    http_host: str = "0.0.0.0"
    http_port: int = Field(default=8080, ge=1, le=65535)
    api_token: SecretStr | None = None  # CITEBOT_API_TOKEN: bearer token for /api/ask; unset = the API refuses all
    slack_mode: str = "auto"  # http | socket | auto (socket when SLACK_APP_TOKEN is set)
    slack_host: str = "0.0.0.0"
    slack_port: int = Field(default=3000, ge=1, le=65535)
    answer_concurrency: int = Field(default=8, ge=1)  # questions answered (and delivered) at once per process
    question_max_chars: int = Field(default=1000, ge=10)  # longer questions are refused with a clear message
    rate_user_per_minute: int = Field(default=10, ge=0)  # questions one user may ask a minute (0: no limit)
    rate_channel_per_minute: int = Field(default=60, ge=0)  # questions asked in one channel a minute (0: no limit)
    encoder: Literal["local", "remote", "off"] = "local"  # the sentence encoder for semantic retrieval
    encoder_url: str = ""  # remote: the embedding server, e.g. http://embed:8000 (POST /v1/embeddings)
    encoder_model: str = "multilingual-e5-small"  # remote: the model name sent with each request
    encoder_api_key: SecretStr | None = None  # remote: CITEBOT_ENCODER_API_KEY, sent as a bearer token
    encoder_query_prefix: str = ""  # remote: text put before each question (E5 servers without input_type)
    encoder_passage_prefix: str = ""  # remote: text put before each entry's passage
    encoder_nice: int = Field(default=10, ge=0, le=19)  # local: how much the encoder thread yields to the rest
    embedding_cache_dir: Path | None = None  # entry vectors cached by content hash; unset: data_dir

    model_config = SettingsConfigDict(env_prefix="CITEBOT_", extra="ignore")

    @field_validator("api_token", "database_url", "redis_url", mode="before")
    @classmethod
    def _stripped(cls, value: object) -> object:
        """A secret (or URL) read from a file ends in a newline; it is not part of the value."""
        return value.strip() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _remote_needs_url(self) -> Settings:
        if self.encoder == "remote" and not self.encoder_url.startswith(("http://", "https://")):
            raise ValueError("encoder = \"remote\" needs encoder_url, an http(s) URL of the embedding server")
        return self

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"unknown log level {value!r}")
        return value

    def shown(self) -> dict[str, str]:
        """Every setting as it is in effect, secrets (and a database password) masked."""
        from bot.store.engine import mask_url

        out = {}
        for name, value in self.model_dump(mode="json").items():
            if isinstance(getattr(self, name), SecretStr):
                value = "********" if getattr(self, name).get_secret_value() else "(unset)"
            elif value is None:
                value = "(unset)"
            elif name == "database_url":
                value = mask_url(value) if value else f"(embedded) {mask_url(self.effective_database_url)}"
            elif name == "redis_url":
                value = mask_url(value) if value else "(unset)"
            out[name] = str(value)
        for variable in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
            out[variable] = "********" if os.environ.get(variable) else "(unset)"
        return out

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'citebot.db'}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config = Path(os.environ.get("CITEBOT_CONFIG", DEFAULT_CONFIG))
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config))


def load_settings(**overrides: Any) -> Settings:
    """Settings from the config file and environment, with command-line ``overrides`` on top."""
    config = Path(os.environ.get("CITEBOT_CONFIG", DEFAULT_CONFIG))
    if "CITEBOT_CONFIG" in os.environ and not config.is_file():
        raise ConfigError(f"config file {config} (CITEBOT_CONFIG) not found")
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"setting {field}: {first['msg']}") from None
