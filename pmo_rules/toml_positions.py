"""Where each key of a TOML document is written, for diagnostics that name a line.

`tomllib` parses but keeps no positions. This scanner reads a document tomllib has
already accepted and records, for every key path, the line and column of its key:
dotted keys (`params."a.b" = 1`), table headers (`[tool.pmo-rules]`), arrays of tables,
inline tables and array items (the path of an item ends with its index, as text).
"""

from __future__ import annotations

import contextlib
import re
import tomllib

Path = tuple[str, ...]
Position = tuple[int, int]  # 1-based line and column

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\n#]")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.found: dict[Path, Position] = {}
        self.tables: dict[Path, int] = {}  # array-of-tables path -> items seen

    def position(self, index: int) -> Position:
        line = self.text.count("\n", 0, index) + 1
        return line, index - (self.text.rfind("\n", 0, index) + 1) + 1

    def note(self, path: Path, index: int) -> None:
        self.found.setdefault(path, self.position(index))

    def peek(self, n: int = 1) -> str:
        return self.text[self.i:self.i + n]

    def skip(self, newlines: bool) -> None:
        """Skip blanks and comments (and newlines, inside arrays and between statements)."""
        while self.i < len(self.text):
            c = self.text[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.i += 1
            elif c == "#":
                end = self.text.find("\n", self.i)
                self.i = len(self.text) if end < 0 else end
            else:
                return

    def document(self) -> None:
        prefix: Path = ()
        while True:
            self.skip(newlines=True)
            if self.i >= len(self.text):
                return
            start = self.i
            if self.peek(2) == "[[":
                self.i += 2
                path = self.key()
                n = self.tables.get(path, 0)
                self.tables[path] = n + 1
                for k in range(1, len(path) + 1):
                    self.note(path[:k], start)
                prefix = (*path, str(n))
                self.note(prefix, start)
                self.i = self.text.index("]]", self.i) + 2
            elif self.peek() == "[":
                self.i += 1
                prefix = self.key()
                for n in range(1, len(prefix) + 1):
                    self.note(prefix[:n], start)
                self.i = self.text.index("]", self.i) + 1
            else:
                self.pair(prefix)

    def key(self) -> Path:
        """A dotted key; leaves the scanner after its last part."""
        parts: list[str] = []
        while True:
            self.skip(newlines=False)
            c = self.peek()
            if c in "\"'":
                quote = c
                end = self.text.index(quote, self.i + 1)
                while quote == '"' and self._escaped(end):
                    end = self.text.index(quote, end + 1)
                raw = self.text[self.i:end + 1]
                parts.append(tomllib.loads(f"k = {raw}")["k"])
                self.i = end + 1
            else:
                m = _BARE.match(self.text, self.i)
                parts.append(m.group(0) if m else "")
                self.i = m.end() if m else self.i + 1
            self.skip(newlines=False)
            if self.peek() != ".":
                return tuple(parts)
            self.i += 1

    def _escaped(self, index: int) -> bool:
        slashes = 0
        while self.text[index - 1 - slashes] == "\\":
            slashes += 1
        return slashes % 2 == 1

    def pair(self, prefix: Path) -> None:
        start = self.i
        path = (*prefix, *self.key())
        for n in range(len(prefix) + 1, len(path) + 1):
            self.note(path[:n], start)
        self.skip(newlines=False)
        self.i += 1  # '='
        self.skip(newlines=False)
        self.value(path)

    def value(self, path: Path) -> None:
        c = self.peek()
        if c == "{":
            self.i += 1
            while True:
                self.skip(newlines=True)
                if self.peek() == "}":
                    self.i += 1
                    return
                if self.peek() == ",":
                    self.i += 1
                    continue
                self.pair(path)
        elif c == "[":
            self.i += 1
            n = 0
            while True:
                self.skip(newlines=True)
                if self.peek() == "]":
                    self.i += 1
                    return
                if self.peek() == ",":
                    self.i += 1
                    continue
                self.note((*path, str(n)), self.i)
                self.value((*path, str(n)))
                n += 1
        elif self.peek(3) in ('"""', "'''"):
            quote = self.peek(3)
            end = self.text.index(quote, self.i + 3)
            while quote == '"""' and self._escaped(end):
                end = self.text.index(quote, end + 1)
            while self.text[end + 3:end + 4] == quote[0]:  # up to two quotes end the content
                end += 1
            self.i = end + 3
        elif c in "\"'":
            end = self.text.index(c, self.i + 1)
            while c == '"' and self._escaped(end):
                end = self.text.index(c, end + 1)
            self.i = end + 1
        else:
            m = _SCALAR_END.search(self.text, self.i)
            self.i = m.start() if m else len(self.text)


def key_positions(text: str) -> dict[Path, Position]:
    """Every key path of a valid TOML document and where its key is first written.

    On text the scanner cannot follow (it should not happen for a document tomllib
    accepted), the positions found so far are returned: a diagnostic then falls back
    to the file's first line rather than failing.
    """
    scanner = _Scanner(text)
    with contextlib.suppress(ValueError, IndexError, tomllib.TOMLDecodeError):
        scanner.document()
    return scanner.found
