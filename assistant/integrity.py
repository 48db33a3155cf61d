"""Checksums of an index: the SHA-256 of every generation file, recorded in the manifest, and of the manifest itself.

A flipped bit can parse cleanly and change an answer (8934000000 read as 9934000000); only a checksum sees it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Optional

MANIFEST = "manifest.json"
GENERATION_FILES = ("reports.json", "passages.jsonl", "passage_vectors.npy", "sentence_vectors.npy", "facts.json",
                    "passages.faiss", "sentences.faiss")


def verification_wanted() -> bool:
    """Loading verifies checksums unless the user opts out with MARKETQA_VERIFY=0 (for speed on a large index)."""
    from .settings import get

    return bool(get("verify"))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_digest(manifest: dict) -> str:
    """The manifest's own checksum: over its canonical JSON without the checksum field."""
    body = {key: value for key, value in manifest.items() if key != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def checksum_problems(index_dir: Path, manifest: dict) -> dict[str, Optional[str]]:
    """Each generation file the manifest records -> None when its SHA-256 matches, else what is wrong with it."""
    gen = index_dir / manifest["generation"]
    recorded = manifest.get("checksums")
    if not isinstance(recorded, dict) or not set(GENERATION_FILES) <= recorded.keys():
        return {MANIFEST: f"index manifest {index_dir / MANIFEST} does not record the checksum of every "
                          "generation file"}
    problems: dict[str, Optional[str]] = {}
    for name, expected in sorted(recorded.items()):
        path = gen / Path(name).name
        if not path.is_file():
            problems[name] = f"index file {path} is missing"
        elif sha256_file(path) != expected:
            problems[name] = f"index file {path} is corrupt (its SHA-256 differs from the one in the manifest)"
        else:
            problems[name] = None
    return problems


def generation_damage(index_dir: Path, manifest: dict) -> list[str]:
    """One line per generation file that is missing or fails its checksum ([] = intact)."""
    return [problem for problem in checksum_problems(index_dir, manifest).values() if problem]
