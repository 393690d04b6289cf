"""The one settings object. Every part reads configuration from here, so the environment,
`.env` and tests all configure factdesk the same way."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .tuning import Tuning


# The committed cross-encoder (bot/fitted/cross/), found beside this package: the same place in a
# checkout and in an installed wheel, without importing the bot.
_COMMITTED_CROSS = Path(__file__).resolve().parent.parent / "bot" / "fitted" / "cross"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "factdesk"


class Settings(BaseSettings):
    """Read from the environment first, then `.env` in the working directory."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default_factory=_default_data_dir, validation_alias="FACTDESK_DATA_DIR")
    sources_dir: Path = Field(Path("data/sources"), validation_alias="FACTDESK_SOURCES_DIR")
    # Editor decisions on correction links; default: corrections.yml in the sources folder.
    corrections_file: Path | None = Field(None, validation_alias="FACTDESK_CORRECTIONS_FILE")
    embed_model: str = Field("", validation_alias="FACTDESK_EMBED_MODEL")
    embed_device: str = Field("cpu", validation_alias="FACTDESK_EMBED_DEVICE")
    # "int8": embed through an int8-quantised copy of the model (faster; recorded in the index's
    # model identity, so an index is never a mix). Unset: fp32.
    embed_quantize: str = Field("", validation_alias="FACTDESK_EMBED_QUANTIZE")
    collection_prefix: str = Field("factdesk", validation_alias="FACTDESK_COLLECTION")

    chroma_host: str = Field("", validation_alias="CHROMA_HOST")
    chroma_port: int = Field(8000, validation_alias="CHROMA_PORT")
    chroma_ssl: bool = Field(False, validation_alias="CHROMA_SSL")
    chroma_auth_token: str = Field("", validation_alias="CHROMA_AUTH_TOKEN")

    # Answering
    max_question_chars: int = Field(1000, validation_alias="FACTDESK_MAX_QUESTION_CHARS")
    max_citations: int = Field(4, validation_alias="FACTDESK_MAX_CITATIONS")
    # chat and Slack keep every sentence row in memory (~35 MB per 100k sentences; ingest/rowcache.py)
    warm_rows: bool = Field(True, validation_alias="FACTDESK_WARM_ROWS")
    # one-shot `factdesk ask` reads the sentence mirror ingest keeps (ingest/mirror.py, bot/coldstore.py)
    # instead of importing Chroma, when the mirror is in step; 0 forces the Chroma path
    cold_mirror: bool = Field(True, validation_alias="FACTDESK_COLD_MIRROR")
    # "cross": reread the fitted scorer's best candidates with the cross-encoder in bot/fitted/cross/
    # (bot/rerank.py; slower per question); "off": the fitted scorer alone
    rerank: Literal["off", "cross"] = Field("off", validation_alias="FACTDESK_RERANK")
    # The folder the rerank stage reads its cross-encoder from (weights, tokenizer, card.json with
    # its fitted stack; made by `python -m bot.train_cross --out DIR [--layers N]`, then `--stack`).
    # Default: the committed bot/fitted/cross/. Another folder (one made with `--layers 2` costs about a
    # third per pair, but was not kept: docs/MEASUREMENTS.md) swaps the model without code.
    cross_dir: Path = Field(_COMMITTED_CROSS, validation_alias="FACTDESK_CROSS_DIR",
                            description="folder of the rerank stage's cross-encoder and its card")
    # Threads a question's own model runs use (its embedding; the rerank stage's cross-encoder), at
    # most the machine's cores. 2 on the 2-core machine: question embedding 3.2 -> 2.4-2.7 ms, the
    # rerank stage's three pairs 12-13 -> 9.4-10.4 ms, vectors and logits bit for bit the same
    # (README "Configuration"). 1 leaves a core to other work on a busy host.
    query_threads: int = Field(2, ge=1, le=64, validation_alias="FACTDESK_QUERY_THREADS",
                               description="threads of one question's model runs (capped at the machine's cores)")

    # LLM composer (optional; unset = extractive answers)
    llm: str = Field("", validation_alias="FACTDESK_LLM")
    llm_base_url: str = Field("", validation_alias=AliasChoices("FACTDESK_LLM_BASE_URL"))
    llm_api_key: str = Field("", validation_alias=AliasChoices("FACTDESK_LLM_API_KEY"))
    llm_timeout: float = Field(30.0, validation_alias="FACTDESK_LLM_TIMEOUT")
    llm_judge_corrections: bool = Field(False, validation_alias="FACTDESK_LLM_JUDGE")

    # Slack
    slack_bot_token: str = Field("", validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field("", validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str = Field("", validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("", validation_alias="SLACK_API_URL")
    # Correction alerts: `factdesk ingest` posts each newly linked correction to this channel
    alert_channel: str = Field("", validation_alias="FACTDESK_ALERT_CHANNEL")

    # Server mode: how long an ingest's writer lease lives without a heartbeat (ingest/lease.py)
    ingest_lease_seconds: float = Field(60.0, gt=2.0, validation_alias="FACTDESK_LEASE_SECONDS")

    # Re-ingest: a file whose size, mtime and inode match its record is unchanged without being
    # read (ingest/fingerprint.py); set this to read and hash every file instead (an editor who
    # restores mtimes, a filesystem whose mtimes cannot be trusted)
    hash_all_files: bool = Field(False, validation_alias="FACTDESK_HASH_ALL")

    # Fetching URLs
    fetch_timeout: float = Field(15.0, gt=0, validation_alias="FACTDESK_FETCH_TIMEOUT")  # total, per URL
    fetch_max_bytes: int = Field(10 * 1024 * 1024, gt=0, validation_alias="FACTDESK_FETCH_MAX_BYTES")
    allow_private_urls: bool = Field(False, validation_alias="FACTDESK_ALLOW_PRIVATE_URLS")

    # Tuning: every hand-set threshold, weight and word list of the answer pipeline, documented
    # field by field (meaning, bounds, provenance) in ingest/tuning.py.
    tuning: Tuning = Field(default_factory=Tuning)

    @field_validator("data_dir")
    @classmethod
    def _data_dir_is_a_folder(cls, v: Path) -> Path:
        """A data folder that is a file (a typo, a mount gone wrong) is refused up front: every
        command would otherwise fail its own way (a traceback from the ingest lock, "empty index")."""
        if Path(v).expanduser().exists() and not Path(v).expanduser().is_dir():
            raise ValueError("it is a file, not a folder (the index needs a folder of its own)")
        return v

    @staticmethod
    def secret_fields() -> tuple[str, ...]:
        """Fields holding credentials: scrubbed from every log line (bot/redaction.py)."""
        return ("llm_api_key", "chroma_auth_token", "slack_bot_token", "slack_signing_secret", "slack_app_token")

    @property
    def server_mode(self) -> bool:
        return bool(self.chroma_host)

    @property
    def index_location(self) -> str:
        """Human-readable place of the index, for messages."""
        if self.server_mode:
            return f"chroma server {self.chroma_host}:{self.chroma_port}"
        return str(self.data_dir)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
