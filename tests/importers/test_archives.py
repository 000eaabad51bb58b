"""A LinkedIn zip is read without trusting it: bombs refused by ratio, size and file count, members
and CSV files read as streams, one row at a time."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from tests.zip_bombs import HEADER, MEMBER, ROW, write_bomb
from tieline.importers import archives, detect, linkedin
from tieline.importers.records import MalformedFile, PersonRecord, RefusedFile, SkippedRecord

MB = 1024 * 1024


@pytest.mark.parametrize("kind", ["zeros", "rows"])
def test_a_member_that_expands_more_than_100_times_is_refused_before_a_record(
    bombs: dict[str, Path], kind: str
) -> None:
    assert detect(bombs[kind]) == "linkedin"  # detection reads the names only
    records = linkedin.parse(bombs[kind])

    with pytest.raises(RefusedFile) as refused:
        next(records)

    assert refused.value.message == (
        f"{bombs[kind]}:{MEMBER}: refused: expands more than 100 times (a zip bomb?)"
    )
    assert refused.value.exit_code == 2 and refused.value.http_status == 422


def test_a_member_over_200_mb_is_refused_whatever_its_ratio() -> None:
    info = zipfile.ZipInfo(MEMBER)
    info.file_size, info.compress_size = 201 * MB, 50 * MB  # 4:1, as real CSV files deflate

    with pytest.raises(RefusedFile, match=r"export\.zip:.*Connections\.csv: refused: larger than 200 MB"):
        archives.check_member(info, f"export.zip:{MEMBER}", archive_size=60 * MB)


def test_a_directory_that_understates_the_compressed_size_cannot_raise_the_ratio_allowed() -> None:
    info = zipfile.ZipInfo(MEMBER)
    info.file_size, info.compress_size = 150 * MB, 100 * MB  # but the whole zip is 1 MB

    with pytest.raises(RefusedFile, match="expands more than 100 times"):
        archives.check_member(info, f"export.zip:{MEMBER}", archive_size=1 * MB)


def test_small_members_may_compress_well() -> None:
    info = zipfile.ZipInfo(MEMBER)
    info.file_size, info.compress_size = 1 * MB, 1000  # 1,000:1 but only 1 MB: harmless
    archives.check_member(info, f"export.zip:{MEMBER}", archive_size=5000)


def test_the_bytes_inflated_are_counted_whatever_the_directory_declared() -> None:
    # The directory's sizes were checked already; the reader stops on what inflating really gives.
    ratio = archives.CountedReader(io.BytesIO(b"\0" * 3 * MB), "x.zip:a.csv", compressed=20_000)
    with pytest.raises(RefusedFile, match=r"^x\.zip:a\.csv: refused: expands more than 100 times"):
        while ratio.read(64 * 1024):
            pass
    assert ratio.count <= 2 * MB + 64 * 1024  # stopped as soon as it passed 100 x 20,000 bytes

    size = archives.CountedReader(
        io.BytesIO(b"a" * 3 * MB), "x.zip:a.csv", compressed=3 * MB, max_bytes=2 * MB
    )
    with pytest.raises(RefusedFile, match=r"^x\.zip:a\.csv: refused: larger than 2 MB unzipped$"):
        while size.read(64 * 1024):
            pass


def test_a_directory_that_claims_a_small_size_gets_no_more_than_it_claims(tmp_path: Path) -> None:
    # Both headers say 1,000 bytes; the deflated data is 50 MB of zeros. zipfile stops at the
    # declared size and the CRC then fails: one line, and nothing of the 50 MB is held.
    path = write_bomb(tmp_path / "liar.zip", megabytes=50)
    data = bytearray(path.read_bytes())
    for at in (data.find(b"PK\x03\x04") + 22, data.rfind(b"PK\x01\x02") + 24):  # uncompressed size
        data[at : at + 4] = struct.pack("<L", 1000)
    path.write_bytes(bytes(data))
    assert zipfile.ZipFile(path).infolist()[0].file_size == 1000

    with pytest.raises(
        MalformedFile, match=r"liar\.zip:.*Connections\.csv: unreadable zip member \(Bad CRC-32"
    ):
        list(linkedin.parse(path))


def test_a_zip_of_more_than_10000_files_is_refused_before_its_directory_is_read(tmp_path: Path) -> None:
    path = tmp_path / "crowded.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(MEMBER, HEADER)
        for i in range(archives.MAX_ENTRIES):
            archive.writestr(f"padding/{i}", b"")

    with pytest.raises(RefusedFile) as refused:
        detect(path)
    assert (
        refused.value.message == f"{path}: refused: a zip of 10,001 files (a LinkedIn export has a few dozen)"
    )
    with pytest.raises(RefusedFile):
        list(linkedin.parse(path))


def test_rows_are_read_as_a_stream_from_a_zip_member_and_from_a_file(tmp_path: Path) -> None:
    # 33,800 rows (3 MB) stored, not deflated, so no ratio applies: at its peak parsing holds a few
    # rows and the readers' buffers, less than the file.
    zipped = write_bomb(tmp_path / "stored.zip", unit=ROW, megabytes=3, compression=zipfile.ZIP_STORED)
    plain = tmp_path / "Connections.csv"
    plain.write_bytes(zipfile.ZipFile(zipped).read(MEMBER))
    for path in (zipped, plain):
        tracemalloc.start()
        try:
            kinds = {PersonRecord: 0, SkippedRecord: 0}
            for record in linkedin.parse(path):
                kinds[type(record)] += 1
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert kinds[PersonRecord] == 1 and kinds[SkippedRecord] > 30_000  # the same connection again
        assert peak < 2 * MB, f"{path.name}: {peak / MB:.1f} MB held"


def test_a_row_longer_than_4_mb_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    cells = b",".join([b"x" * 100_000] * 50)  # each cell under the csv module's 128 KiB, the row 5 MB
    path.write_bytes(HEADER + ROW + b"Bo," + cells + b"\n" + ROW)

    with pytest.raises(RefusedFile) as refused:
        list(linkedin.parse(path))
    assert refused.value.message == f"{path}:3: refused: a row longer than 4 MB"
