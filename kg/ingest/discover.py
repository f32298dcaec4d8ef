"""Find the source files named on the command line or inside the folders named there."""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import NoSourcesError, SourceError

SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
SIDECAR_SUFFIXES = (".meta.json", ".meta.toml")


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest: where it is, the folder its id is relative to, and that id."""

    path: Path
    root: Path
    id: str  # path relative to root, with forward slashes

    @classmethod
    def of(cls, path: Path, root: Path | None = None) -> SourceFile:
        root = root if root is not None else path.parent
        try:
            relative = path.relative_to(root)
        except ValueError:
            relative = Path(path.name)
        return cls(path, root, relative.as_posix())


def is_sidecar(name: str) -> bool:
    return name.lower().endswith(SIDECAR_SUFFIXES)


def is_source_name(name: str) -> bool:
    lowered = name.lower()
    return (not name.startswith(".") and lowered.endswith(SOURCE_SUFFIXES)
            and not is_sidecar(name))


def _walk(root: Path) -> list[Path]:
    """Source files under ``root``, sorted by relative path; follows symlinked folders once."""
    found: list[Path] = []
    seen_dirs: set[Path] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            resolved = folder.resolve()
        except OSError:
            continue
        if resolved in seen_dirs:
            continue  # a symlink loop or a second link to a folder already searched
        seen_dirs.add(resolved)
        try:
            entries = list(os.scandir(folder))
        except PermissionError as error:
            raise SourceError(f"Cannot list the folder {folder}: permission denied.",
                              "Check the folder's permissions.") from error
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    pending.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=True) and is_source_name(entry.name):
                    found.append(Path(entry.path))
            except OSError:
                continue  # a dangling symlink is not a source
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def discover(paths: Sequence[Path | str]) -> list[SourceFile]:
    """Source files for the given files and folders, in a deterministic order.

    Folders are searched recursively for .txt, .md, .markdown, .html, .htm and .pdf files
    (hidden files and folders and ``*.meta.json`` / ``*.meta.toml`` sidecars skipped); a file
    named directly is taken whatever its suffix, with its folder as root. Arguments keep their
    order; a file reached twice is listed once.
    """
    sources: list[SourceFile] = []
    seen_files: set[Path] = set()
    seen_ids: set[str] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise SourceError(f"No such file or folder: {path}",
                              "Check the path, or create the folder and put sources in it.")
        if path.is_dir():
            candidates = [SourceFile.of(p, path) for p in _walk(path)]
        else:
            candidates = [SourceFile.of(path)]
        for source in candidates:
            resolved = source.path.resolve()
            if resolved in seen_files:
                continue
            seen_files.add(resolved)
            if source.id in seen_ids:
                # two roots hold the same relative path: prefix the root's name to keep ids apart
                source = SourceFile(source.path, source.root, f"{source.root.resolve().name}/{source.id}")
                if source.id in seen_ids:
                    raise SourceError(f"Two sources would share the id {source.id!r}.",
                                      "Rename one of the files or pass their common parent folder.")
            seen_ids.add(source.id)
            sources.append(source)
    if not sources:
        shown = ", ".join(str(p) for p in paths) or "(no paths given)"
        raise NoSourcesError(f"No source files found in {shown}.")
    return sources
