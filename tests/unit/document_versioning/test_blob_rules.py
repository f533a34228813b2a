"""The rules of blobs: which size limit applies to an upload, and which bytes
a range asks for (clamped as HTTP's ranges are)."""

from __future__ import annotations

import pytest
from crm_shared.domain.errors import InvalidArgument, TooLarge
from document_versioning.domain.blob import MIB, ByteRange, SizeLimits, byte_range, check_sha256, too_large


def test_the_most_specific_limit_wins() -> None:
    limits = SizeLimits.parse(250 * MIB, '{"acme": {"*": 100, "图纸": 500}, "*": {"图纸": 300, "合同": 20}}')
    assert limits.for_upload("acme", "图纸") == 500  # tenant and type
    assert limits.for_upload("acme", "合同") == 100  # the tenant's own "*" before every tenant's type
    assert limits.for_upload("other", "图纸") == 300  # every tenant's type
    assert limits.for_upload("other", "报价单") == 250 * MIB  # the default
    assert SizeLimits.parse(7, "").for_upload("acme", "图纸") == 7


@pytest.mark.parametrize(
    "text", ["not json", "[1]", '{"acme": 5}', '{"acme": {"*": 0}}', '{"acme": {"*": "big"}}', '{"a": {"*": true}}']
)
def test_malformed_limits_are_refused_at_start_up(text: str) -> None:
    with pytest.raises(ValueError, match="size limit"):
        SizeLimits.parse(MIB, text)


def test_the_size_error_names_the_limit() -> None:
    error = too_large(2 * MIB)
    assert isinstance(error, TooLarge) and error.limit_bytes == 2 * MIB
    assert error.message == "content: is larger than the limit of 2 MiB"
    assert too_large(1000).message.endswith("1000 bytes")


@pytest.mark.parametrize(
    ("offset", "length", "suffix", "expected"),
    [
        (0, None, None, ByteRange(0, 100, 100)),  # nothing asked: the whole
        (10, 20, None, ByteRange(10, 30, 100)),
        (90, 50, None, ByteRange(90, 100, 100)),  # clamped to the end
        (99, None, None, ByteRange(99, 100, 100)),
        (0, None, 10, ByteRange(90, 100, 100)),  # the last 10
        (0, None, 500, ByteRange(0, 100, 100)),  # more than there is: the whole
        (100, None, None, None),  # starts past the end
        (150, 5, None, None),
        (0, None, 0, None),  # bytes=-0 asks for nothing
    ],
)
def test_ranges(offset: int, length: int | None, suffix: int | None, expected: ByteRange | None) -> None:
    assert byte_range(100, offset, length, suffix) == expected


def test_an_empty_blob_is_whole_but_has_no_range() -> None:
    assert byte_range(0) == ByteRange(0, 0, 0) and byte_range(0).whole
    assert byte_range(0, 0, 1) is None and byte_range(0, suffix_length=1) is None


@pytest.mark.parametrize(
    ("offset", "length", "suffix", "field"),
    [(-1, None, None, "offset"), (0, 0, None, "length"), (0, -5, None, "length"), (3, None, 2, "suffix_length")],
)
def test_bad_ranges_name_their_field(offset: int, length: int | None, suffix: int | None, field: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        byte_range(100, offset, length, suffix)
    assert [v.field for v in refused.value.violations] == [field]


def test_a_key_is_a_sha256() -> None:
    good = "a" * 64
    assert check_sha256(good) == good
    for bad in ("A" * 64, "a" * 63, "../" + "a" * 61, ""):
        with pytest.raises(InvalidArgument):
            check_sha256(bad)
