"""The files of a backup: the environment file, checksums, the media archive, the directory
written under a temporary name, pruning."""

import hashlib
import os
import re
import shutil
import tarfile
from datetime import UTC, datetime
from pathlib import Path

MANIFEST = "manifest.json"
MEDIA_TAR = "media.tar"
#: A finished backup's directory name: its start in UTC.
NAME_PATTERN = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
TEMP_PREFIX = ".partial-"


class BackupError(Exception):
    """A backup or restore step failed; the message says which and why."""


def load_env_file(path, environ=os.environ):
    """Set the variables of a systemd-style environment file (``KEY=value`` lines, ``#``
    comments, optional quotes and ``export``) in ``environ``; they win over the process's."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise BackupError(f"cannot read the environment file {path}: {error}") from error
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        if not sep or not key.strip().isidentifier():
            raise BackupError(f"{path}:{number}: not KEY=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        environ[key.strip()] = value


def sha256(path, chunk=1 << 20):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def describe(path):
    """``{"sha256", "bytes"}`` of a backup file, for the manifest."""
    return {"sha256": sha256(path), "bytes": Path(path).stat().st_size}


def fsync(path):
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def utc_name(moment=None):
    return (moment or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def start_directory(backup_dir, name):
    """A new temporary directory in ``backup_dir`` for the backup ``name``."""
    root = Path(backup_dir)
    root.mkdir(parents=True, exist_ok=True)
    temp = root / f"{TEMP_PREFIX}{name}-{os.getpid()}"
    temp.mkdir()
    return temp


def finish_directory(temp, backup_dir, name):
    """Rename the whole backup ``temp`` to its final name (``name``, or ``name-2`` …)."""
    root = Path(backup_dir)
    final, n = root / name, 1
    while final.exists():
        n += 1
        final = root / f"{name}-{n}"
    for path in temp.iterdir():
        fsync(path)
    os.rename(temp, final)
    directory = os.open(root, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return final


def prune(backup_dir, keep):
    """Delete all but the ``keep`` newest finished backups; returns the deleted paths."""
    finished = sorted(
        (p for p in Path(backup_dir).iterdir() if NAME_PATTERN.match(p.name) and p.is_dir()),
        key=lambda p: p.name,
    )
    old = finished[: max(len(finished) - keep, 0)]
    for path in old:
        shutil.rmtree(path)
    return old


def write_media_tar(path, roots):
    """Archive each ``{name: directory}`` of ``roots`` under ``name/`` in the tar at ``path``.
    A file removed while the archive is written is left out (it was being deleted anyway).
    Returns the number of files."""
    count = 0
    with tarfile.open(path, "w") as tar:
        for name, root in roots.items():
            root = Path(root)
            tar.add(root, arcname=name, recursive=False)
            for folder, dirs, files in os.walk(root):
                dirs.sort()
                base = Path(folder)
                relative = base.relative_to(root)
                for entry in sorted(dirs) + sorted(files):
                    try:
                        tar.add(base / entry, arcname=f"{name}/{relative / entry}", recursive=False)
                    except FileNotFoundError:
                        continue
                    count += entry in files
    return count


def extract_media_tar(path, targets):
    """Extract each ``name/`` of the tar at ``path`` into ``targets[name]`` (names not in
    ``targets`` are skipped); only regular files and directories, nothing outside a target."""
    extracted = dict.fromkeys(targets, 0)
    with tarfile.open(path) as tar:
        for member in tar:
            name, _sep, rest = member.name.partition("/")
            if name not in targets or not rest:
                continue
            member.name = rest
            try:
                tar.extract(member, targets[name], filter="data")
            except tarfile.FilterError as error:
                raise BackupError(f"{path}: refused {name}/{rest}: {error}") from error
            extracted[name] += member.isfile()
    return extracted


def is_empty_dir(path):
    path = Path(path)
    return not path.exists() or not any(path.iterdir())
