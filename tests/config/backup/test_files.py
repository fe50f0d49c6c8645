"""The backup's files: the environment file, pruning, the media archive (fast, no database)."""

import io
import tarfile

import pytest

from config.backup.files import (
    BackupError,
    extract_media_tar,
    finish_directory,
    load_env_file,
    prune,
    start_directory,
    write_media_tar,
)


def test_the_environment_file_is_read_as_systemd_reads_it(tmp_path):
    path = tmp_path / "site.env"
    path.write_text(
        "# comment\n\nSECRET_KEY='a b=c'\nexport DATABASE_URL=\"postgres://x/y\"\nEMPTY=\n",
        encoding="utf-8",
    )
    env = {"SECRET_KEY": "old"}
    load_env_file(path, env)
    assert env == {"SECRET_KEY": "a b=c", "DATABASE_URL": "postgres://x/y", "EMPTY": ""}
    path.write_text("NOT A LINE\n")
    with pytest.raises(BackupError, match="site.env:1"):
        load_env_file(path, {})


def test_a_backup_gets_its_name_only_when_whole_and_prune_keeps_the_newest(tmp_path):
    for name in ("20261201T000000Z", "20261202T000000Z", "20261203T000000Z"):
        temp = start_directory(tmp_path, name)
        assert temp.name.startswith(".partial-") and temp.parent == tmp_path
        (temp / "manifest.json").write_text("{}")
        assert finish_directory(temp, tmp_path, name).name == name
    again = start_directory(tmp_path, "20261203T000000Z")
    (again / "manifest.json").write_text("{}")
    assert finish_directory(again, tmp_path, "20261203T000000Z").name == "20261203T000000Z-2"
    partial = start_directory(tmp_path, "20261204T000000Z")
    gone = prune(tmp_path, 2)
    assert [p.name for p in gone] == ["20261201T000000Z", "20261202T000000Z"]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [partial.name, "20261203T000000Z", "20261203T000000Z-2"]


def test_the_media_archive_round_trips_into_other_directories(tmp_path):
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "a.png").write_bytes(b"png")
    (private / "anchors").mkdir(parents=True)
    (private / "anchors" / "chain-anchor-20261206.json").write_text("{}")
    tar = tmp_path / "media.tar"
    assert write_media_tar(tar, {"media": media, "private": private}) == 2
    out = tmp_path / "out"
    counts = extract_media_tar(tar, {"media": out / "m", "private": out / "p"})
    assert counts == {"media": 1, "private": 1}
    assert (out / "m" / "original_images" / "a.png").read_bytes() == b"png"
    assert (out / "p" / "anchors" / "chain-anchor-20261206.json").exists()


def test_an_archive_member_outside_its_directory_is_refused(tmp_path):
    tar = tmp_path / "media.tar"
    with tarfile.open(tar, "w") as archive:
        info = tarfile.TarInfo("media/../../escaped.txt")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(BackupError, match="refused"):
        extract_media_tar(tar, {"media": tmp_path / "m"})
    assert not (tmp_path / "escaped.txt").exists()
