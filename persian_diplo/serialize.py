"""Serialisation shared by the components that keep their state in one msgpack blob."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterable, Union

import srsly
from spacy.util import ensure_path


class MsgpackState:
    """``to_bytes``/``from_bytes``/``to_disk``/``from_disk`` for a component that defines
    ``_state() -> dict`` and ``_load_state(dict)``; on disk the state is one file,
    ``state_file``, in the component's folder."""

    state_file = "state.msgpack"

    def _state(self) -> Dict[str, Any]:  # pragma: no cover - defined by the component
        raise NotImplementedError

    def _load_state(self, state: Dict[str, Any]) -> None:  # pragma: no cover
        raise NotImplementedError

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps(self._state())

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()):
        self._load_state(srsly.msgpack_loads(data))
        return self

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_msgpack(path / self.state_file, self._state())

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()):
        self._load_state(srsly.read_msgpack(ensure_path(path) / self.state_file))
        return self
