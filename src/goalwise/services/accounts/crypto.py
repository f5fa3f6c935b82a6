"""Encryption of free text at rest: AES-256-GCM with keys from a key file.

Every ciphertext starts with a version tag and the id of the key that made it
(``b"GW1" + key_id[4] + nonce[12] + ciphertext+tag``), so a keyring can hold the current key
and the one being rotated away, and a wrong key is detected before anything is decrypted:
the user gets one clear error, never garbage.

The key file holds one base64 key per line; the first line is the current key. It is created
with mode 0600 in the data folder on first run when ``GOALWISE_SECRET_KEY_FILE`` is not set.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from goalwise.core.errors import ConfigError, StorageError

__all__ = ["Keyring", "keyring_from_text", "load_keyring", "new_key"]

_MAGIC = b"GW1"
_NONCE = 12


def new_key() -> bytes:
    """A fresh 256-bit key."""
    return AESGCM.generate_key(bit_length=256)


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"goalwise-key-id" + key).digest()[:4]


@dataclass
class Keyring:
    """The current key plus older keys still accepted for decryption."""

    keys: list[bytes]
    path: Path | None = None
    generated: bool = False
    _by_id: dict[bytes, AESGCM] = field(default_factory=dict, init=False, repr=False)

    _mtime: int | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise ConfigError("the key file holds no key; restore it from a backup")
        self._by_id = {_key_id(k): AESGCM(k) for k in self.keys}
        self._mtime = self._file_mtime()

    def _file_mtime(self) -> int | None:
        try:
            return self.path.stat().st_mtime_ns if self.path is not None else None
        except OSError:
            return None

    def refresh(self) -> None:
        """Reload the key file when it changed on disk (``goalwise keys rotate`` in another process).

        A running server then encrypts with the new key at once, instead of writing text with a
        key that the rotation has just removed from the file.
        """
        mtime = self._file_mtime()
        if mtime is None or mtime == self._mtime or self.path is None:
            return
        fresh = _parse(self.path.read_text(), self.path)
        if fresh:
            self.keys = fresh
            self._by_id = {_key_id(k): AESGCM(k) for k in fresh}
            self._mtime = mtime

    def check_file(self) -> None:
        """Raise ``ConfigError`` unless the key file is still there, readable and holds the key in use.

        A running server keeps its key in memory, so a deleted key file would go unnoticed until
        the next start, when every encrypted text becomes unreadable; ``/healthz`` calls this.
        """
        if self.path is None:
            return
        if not self.path.exists():
            raise ConfigError(
                f"the key file {self.path} is missing; restore it from a backup before the server restarts, "
                "or the encrypted text cannot be read"
            )
        try:
            self.refresh()
            keys = _parse(self.path.read_text(), self.path)
        except OSError as exc:
            raise ConfigError(f"cannot read the key file {self.path}; give this user read access") from exc
        if self.keys[0] not in keys:
            raise ConfigError(
                f"the key file {self.path} no longer holds the key in use; restore it from a backup"
            )

    @property
    def current_id(self) -> bytes:
        """The id of the key new text is encrypted with."""
        return _key_id(self.keys[0])

    def encrypt(self, text: str | None, *, context: bytes = b"") -> bytes | None:
        """Encrypt ``text`` (None stays None). ``context`` binds it to its column."""
        if text is None:
            return None
        self.refresh()
        nonce = secrets.token_bytes(_NONCE)
        sealed = AESGCM(self.keys[0]).encrypt(nonce, text.encode("utf-8"), context or None)
        return _MAGIC + self.current_id + nonce + sealed

    def decrypt(self, blob: bytes | None, *, context: bytes = b"") -> str | None:
        """Decrypt a value made by ``encrypt``; a wrong or missing key raises ``StorageError``."""
        if blob is None:
            return None
        blob = bytes(blob)
        if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + 4 + _NONCE + 16:
            raise StorageError("an encrypted value is damaged; restore the database from a backup")
        key_id = blob[3:7]
        if key_id not in self._by_id:
            self.refresh()
        aead = self._by_id.get(key_id)
        if aead is None:
            raise StorageError(
                "the encryption key does not match the stored data; set GOALWISE_SECRET_KEY_FILE "
                "to the key file this database was written with"
            )
        try:
            return aead.decrypt(blob[7 : 7 + _NONCE], blob[7 + _NONCE :], context or None).decode("utf-8")
        except InvalidTag as exc:
            raise StorageError(
                "an encrypted value failed its integrity check; restore it from a backup"
            ) from exc

    def key_id_of(self, blob: bytes) -> bytes:
        """The id of the key a value was encrypted with."""
        return bytes(blob)[3:7]


def _parse(text: str, path: Path) -> list[bytes]:
    keys = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            key = base64.b64decode(line, validate=True)
        except ValueError as exc:
            raise ConfigError(f"line {number} of the key file {path} is not a base64 key") from exc
        if len(key) != 32:
            raise ConfigError(f"line {number} of the key file {path} is not a 256-bit key")
        keys.append(key)
    return keys


def keyring_from_text(value: str) -> Keyring:
    """The keyring held in ``GOALWISE_SECRET_KEY``: base64 keys separated by commas, current first.

    Several hosts serving one database share the key this way (or by mounting one key file);
    the key never lands on the host's disk. Rotation needs a key file.
    """
    keys = []
    parts = [part.strip() for part in value.replace("\n", ",").split(",")]
    for number, part in enumerate(filter(None, parts), start=1):
        try:
            key = base64.b64decode(part, validate=True)
        except ValueError as exc:
            raise ConfigError(
                f"key {number} in GOALWISE_SECRET_KEY is not base64; copy a line of the key file"
            ) from exc
        if len(key) != 32:
            raise ConfigError(f"key {number} in GOALWISE_SECRET_KEY is not a 256-bit key")
        keys.append(key)
    if not keys:
        raise ConfigError("GOALWISE_SECRET_KEY is set but holds no key; unset it or copy in the key")
    return Keyring(keys)


def write_key_file(path: Path, keys: list[bytes]) -> None:
    """Write ``keys`` (current first) atomically with owner-only permissions."""
    # Owner-only folder, as for the database (see storage.engine).
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    body = (
        "# Goalwise encryption keys: the first is current. Back this file up; without it the data is lost.\n"
    )
    body += "".join(base64.b64encode(k).decode("ascii") + "\n" for k in keys)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(body)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def load_keyring(path: Path, *, create: bool) -> Keyring:
    """Read the key file at ``path``; create one with a new key when absent and ``create`` is set."""
    if not path.exists():
        if not create:
            raise ConfigError(
                f"the key file {path} does not exist; set GOALWISE_SECRET_KEY_FILE to your key file"
            )
        try:
            write_key_file(path, [new_key()])
        except OSError as exc:
            raise ConfigError(f"cannot create the key file {path}; make its folder writable") from exc
        return Keyring(_parse(path.read_text(), path), path=path, generated=True)
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigError(f"cannot read the key file {path}; check its permissions") from exc
    return Keyring(_parse(text, path), path=path)
