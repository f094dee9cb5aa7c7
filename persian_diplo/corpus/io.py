"""Reading and writing annotation records: JSONL in, JSONL out, errors that name file and line."""
from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, IO, Iterable, Iterator, Tuple, Union

PathLike = Union[str, "os.PathLike[str]"]


class InputError(ValueError):
    """Bad input: a missing file, an unreadable encoding, a malformed line.

    The message names the file and, where there is one, the line."""


def open_text(path: PathLike) -> IO[str]:
    """Open a UTF-8 text file (gzipped when it ends in ``.gz``); errors name the file."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    raw: IO[bytes] = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


def parse_jsonl_lines(lines: Iterable[str], source: str) -> Iterator[Tuple[int, Dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-blank line; errors name ``source`` and
    the line."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{source}:{number}: not valid JSON ({err.msg} at column {err.colno})") from None
        if not isinstance(obj, dict):
            raise InputError(f"{source}:{number}: expected a JSON object, got {type(obj).__name__}")
        yield number, obj


def iter_jsonl(path: PathLike) -> Iterator[Tuple[int, Dict[str, Any]]]:
    """Yield ``(line_number, object)`` for each non-blank line of a JSONL file."""
    with open_text(path) as handle:
        lines_read = [0]

        def counted(stream):
            for line in stream:
                lines_read[0] += 1
                yield line

        try:
            yield from parse_jsonl_lines(counted(handle), str(path))
        except UnicodeDecodeError as err:
            raise InputError(f"{path}:{lines_read[0] + 1}: not UTF-8 text ({err.reason})") from None
        except (OSError, EOFError) as err:  # a truncated gzip stream, say
            raise InputError(f"{path}: cannot read ({err})") from None


def read_jsonl(path: PathLike) -> Iterator[Dict[str, Any]]:
    """The objects of a JSONL file, without line numbers."""
    for _, obj in iter_jsonl(path):
        yield obj


@contextmanager
def atomic_writer(path: PathLike, mode: str = "w") -> Iterator[IO[Any]]:
    """Write to a temporary file beside ``path`` and move it into place on success.

    On an exception the temporary file is removed and ``path`` is left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": "\n"} if "b" not in mode else {})) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def dumps(record: Dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def write_jsonl(path: PathLike, records: Iterable[Dict[str, Any]]) -> int:
    """Write records atomically; returns how many were written."""
    count = 0
    with atomic_writer(path) as handle:
        for record in records:
            handle.write(dumps(record) + "\n")
            count += 1
    return count
