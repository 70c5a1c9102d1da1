"""The zip container of a .docx: bounded reading, and rewriting that copies untouched members raw.

`zipfile` cannot say where a member's bytes lie nor write a member back without
recompressing it, so the central directory is parsed here (a few dozen lines of the zip
format). Rewriting copies every untouched member's local header, compressed data and data
descriptor byte for byte, and its central-directory record with only the offset patched;
an edited member keeps its name, header fields, extra fields, compression method and
position in both orders, with new CRC and sizes.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from speechlint.documents.docx.limits import DocxError, DocxLimits

_EOCD = b"PK\x05\x06"
_EOCD64 = b"PK\x06\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_CENTRAL_SIZE = 46
_LOCAL_SIZE = 30
_EOCD_SIZE = 22
_FULL = 0xFFFFFFFF
_FLAG_ENCRYPTED = 0x1
_FLAG_DESCRIPTOR = 0x8
_FLAG_UTF8 = 0x800
STORED, DEFLATED = 0, 8


@dataclass
class Member:
    """One zip entry: where its records lie in the archive and what its central directory says."""

    name: str
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int
    local_offset: int  # of the local header, in the archive as given
    central: bytes  # the raw central-directory record
    data_start: int = 0  # first byte of the compressed data
    region_end: int = 0  # end of the member's bytes (data descriptor included)


class Container:
    """A parsed zip archive held in memory; members are inflated only on request, within limits."""

    def __init__(self, data: bytes, where: str, limits: DocxLimits) -> None:
        self.data = data
        self.where = where
        self.limits = limits
        self.members: list[Member] = []
        self.comment = b""
        self.inflated = 0  # bytes inflated so far, against limits.max_total_bytes
        try:
            self._parse()
        except struct.error:  # a record cut short by the end of the file
            raise self._error("不是有效的 zip 压缩包（记录被截断）") from None
        self.by_name = {m.name: m for m in self.members}
        if len(self.by_name) != len(self.members):
            raise self._error("压缩包中有重名成员，结构异常")

    def _error(self, message: str) -> DocxError:
        return DocxError(f"{self.where}: {message}")

    # --- central directory ------------------------------------------------------------
    def _parse(self) -> None:
        data = self.data
        eocd = data.rfind(_EOCD, max(0, len(data) - _EOCD_SIZE - 0xFFFF))
        if eocd < 0 or len(data) < eocd + _EOCD_SIZE:
            raise self._error("不是有效的 zip 压缩包（找不到中央目录）")
        (disk, cd_disk, _, count, cd_size, cd_offset, comment_len) = struct.unpack_from("<HHHHIIH", data, eocd + 4)
        self.comment = data[eocd + _EOCD_SIZE : eocd + _EOCD_SIZE + comment_len]
        cd_end = eocd
        if _FULL in (cd_size, cd_offset) or count == 0xFFFF:
            count, cd_size, cd_offset, cd_end = self._zip64_end(eocd)
        elif disk or cd_disk:
            raise self._error("不支持分卷 zip 压缩包")
        if count > self.limits.max_members:
            raise self._error(f"压缩包成员过多（{count} 个，上限 {self.limits.max_members} 个），已拒绝")
        shift = cd_end - cd_size - cd_offset  # bytes prepended to the archive (a stub), as zipfile allows
        if shift < 0 or cd_end > len(data):
            raise self._error("不是有效的 zip 压缩包（中央目录位置错误）")
        pos = cd_offset + shift
        for _ in range(count):
            self.members.append(self._central_record(pos, shift))
            pos += len(self.members[-1].central)
        if pos != cd_end:
            raise self._error("不是有效的 zip 压缩包（中央目录长度不符）")
        self._locate_regions(cd_offset + shift)

    def _zip64_end(self, eocd: int) -> tuple[int, int, int, int]:
        locator = eocd - 20
        if locator < 0 or self.data[locator : locator + 4] != _EOCD64_LOCATOR:
            raise self._error("不是有效的 zip 压缩包（缺少 zip64 目录定位）")
        (end64,) = struct.unpack_from("<Q", self.data, locator + 8)
        # the zip64 record sits right before its locator unless a stub shifted everything
        start = locator - 56 if self.data[locator - 56 : locator - 52] == _EOCD64 else end64
        if self.data[start : start + 4] != _EOCD64:
            raise self._error("不是有效的 zip 压缩包（zip64 目录损坏）")
        count, cd_size, cd_offset = struct.unpack_from("<8xQQQ", self.data, start + 24)
        return count, cd_size, cd_offset, start

    def _central_record(self, pos: int, shift: int) -> Member:
        data = self.data
        if data[pos : pos + 4] != _CENTRAL:
            raise self._error("不是有效的 zip 压缩包（中央目录损坏）")
        (flags, method, _, _, crc, csize, size, nlen, xlen, clen) = struct.unpack_from("<HHHHIIIHHH", data, pos + 8)
        (offset,) = struct.unpack_from("<I", data, pos + 42)
        end = pos + _CENTRAL_SIZE + nlen + xlen + clen
        if end > len(data):
            raise self._error("不是有效的 zip 压缩包（中央目录被截断）")
        raw_name = data[pos + _CENTRAL_SIZE : pos + _CENTRAL_SIZE + nlen]
        name = raw_name.decode("utf-8" if flags & _FLAG_UTF8 else "cp437", "replace")
        if _FULL in (csize, size, offset):
            extra = data[pos + _CENTRAL_SIZE + nlen : pos + _CENTRAL_SIZE + nlen + xlen]
            size, csize, offset = _zip64_values(extra, size, csize, offset)
        return Member(name, flags, method, crc, csize, size, offset + shift, data[pos:end])

    def _locate_regions(self, cd_start: int) -> None:
        """Find each member's data; members must not overlap (a known zip-bomb construction)."""
        ordered = sorted(self.members, key=lambda m: m.local_offset)
        for index, member in enumerate(ordered):
            pos = member.local_offset
            if self.data[pos : pos + 4] != _LOCAL:
                raise self._error(f"不是有效的 zip 压缩包（{member.name} 的本地头损坏）")
            nlen, xlen = struct.unpack_from("<HH", self.data, pos + 26)
            member.data_start = pos + _LOCAL_SIZE + nlen + xlen
            member.region_end = ordered[index + 1].local_offset if index + 1 < len(ordered) else cd_start
            if member.data_start + member.compressed_size > member.region_end:
                raise self._error(f"不是有效的 zip 压缩包（{member.name} 与其他成员重叠或被截断）")

    # --- reading ----------------------------------------------------------------------
    def read(self, name: str) -> bytes:
        """The member's content, refused before inflating when its sizes exceed the limits."""
        member = self.by_name[name]
        limits = self.limits
        if member.flags & _FLAG_ENCRYPTED:
            raise self._error(f"{name} 已加密，无法检查")
        if member.size > limits.max_part_bytes:
            raise self._error(
                f"{name} 解压后 {member.size} 字节，超过单个部件 {limits.max_part_bytes} 字节的上限（疑似压缩炸弹），已拒绝"
            )
        if member.size > limits.ratio_floor_bytes and member.size > limits.max_ratio * max(1, member.compressed_size):
            ratio = member.size // max(1, member.compressed_size)
            raise self._error(f"{name} 压缩比 {ratio}:1 超过上限 {limits.max_ratio}:1（疑似压缩炸弹），已拒绝")
        budget = min(limits.max_part_bytes, limits.max_total_bytes - self.inflated)
        if member.size > budget:
            raise self._error(f"解压内容合计超过 {limits.max_total_bytes} 字节的上限（疑似压缩炸弹），已拒绝")
        raw = self.data[member.data_start : member.data_start + member.compressed_size]
        if member.method == STORED:
            content = raw
        elif member.method == DEFLATED:
            content = self._inflate(name, raw, member.size)
        else:
            raise self._error(f"{name} 使用了不支持的压缩方式（{member.method}）")
        if len(content) != member.size or zlib.crc32(content) != member.crc:
            raise self._error(f"{name} 已损坏（长度或校验和不符）")
        self.inflated += len(content)
        return content

    def _inflate(self, name: str, raw: bytes, size: int) -> bytes:
        """Inflate at most `size` + 1 bytes: a directory that understates a size stops right there."""
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            content = inflater.decompress(raw, size + 1)
        except zlib.error:
            raise self._error(f"{name} 已损坏（无法解压）") from None
        if len(content) > size:
            raise self._error(f"{name} 实际解压后超过声明的 {size} 字节（疑似压缩炸弹），已拒绝")
        return content

    # --- writing ----------------------------------------------------------------------
    def rebuild(self, replacements: dict[str, bytes]) -> bytes:
        """The archive with some members' content replaced; everything else copied raw, in order."""
        out = bytearray()
        central = bytearray()
        for member in self.members:
            offset = len(out)
            if member.name in replacements:
                local, record = self._replaced(member, replacements[member.name], offset)
                out += local
                central += record
            else:
                out += self.data[member.local_offset : member.region_end]
                central += _patch_offset(member.central, offset)
        cd_offset = len(out)
        out += central
        count = len(self.members)
        out += struct.pack("<4sHHHHIIH", _EOCD, 0, 0, count, count, len(central), cd_offset, len(self.comment))
        out += self.comment
        return bytes(out)

    def _replaced(self, member: Member, content: bytes, offset: int) -> tuple[bytes, bytes]:
        """New local record and central record: same fields and extras, new CRC and sizes."""
        if member.method == DEFLATED:
            packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            packed = packer.compress(content) + packer.flush()
        elif member.method == STORED:
            packed = content
        else:
            raise self._error(f"{member.name} 使用了不支持的压缩方式（{member.method}），无法写回")
        if len(packed) >= _FULL or len(content) >= _FULL or offset >= _FULL:
            raise self._error(f"{member.name} 过大，无法写回")
        crc = zlib.crc32(content)
        flags = member.flags & ~_FLAG_DESCRIPTOR
        header = bytearray(self.data[member.local_offset : member.data_start])
        struct.pack_into("<H", header, 6, flags)
        struct.pack_into("<III", header, 14, crc, len(packed), len(content))
        _drop_zip64_extra(header, _LOCAL_SIZE, 26)
        record = bytearray(member.central)
        struct.pack_into("<H", record, 8, flags)
        struct.pack_into("<III", record, 16, crc, len(packed), len(content))
        struct.pack_into("<I", record, 42, offset)
        _drop_zip64_extra(record, _CENTRAL_SIZE, 28)
        return bytes(header) + packed, bytes(record)


def _extra_blocks(extra: bytes) -> list[tuple[int, int, int]]:
    """(header id, start, end) of each block of a zip extra field."""
    blocks = []
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        blocks.append((tag, pos, min(len(extra), pos + 4 + size)))
        pos += 4 + size
    return blocks


def _zip64_values(extra: bytes, size: int, csize: int, offset: int) -> tuple[int, int, int]:
    """Sizes and offset whose 32-bit fields are full come from the zip64 extra block, in this order."""
    for tag, start, end in _extra_blocks(extra):
        if tag != 1:
            continue
        pos = start + 4
        values = []
        for value in (size, csize, offset):
            if value == _FULL and pos + 8 <= end:
                values.append(struct.unpack_from("<Q", extra, pos)[0])
                pos += 8
            else:
                values.append(value)
        return values[0], values[1], values[2]
    return size, csize, offset


def _patch_offset(record: bytes, offset: int) -> bytes:
    """A raw central-directory record pointing at its member's new position."""
    patched = bytearray(record)
    (old,) = struct.unpack_from("<I", record, 42)
    if old != _FULL:
        struct.pack_into("<I", patched, 42, offset)
        return bytes(patched)
    nlen, xlen = struct.unpack_from("<HH", record, 28)
    extra_start = _CENTRAL_SIZE + nlen
    csize, size = struct.unpack_from("<II", record, 20)
    for tag, start, _ in _extra_blocks(record[extra_start : extra_start + xlen]):
        if tag == 1:
            pos = extra_start + start + 4 + 8 * ((size == _FULL) + (csize == _FULL))
            struct.pack_into("<Q", patched, pos, offset)
    return bytes(patched)


def _drop_zip64_extra(record: bytearray, fixed: int, name_len_at: int) -> None:
    """Remove a zip64 extra block from a record whose 32-bit fields now hold the real values."""
    nlen, xlen = struct.unpack_from("<HH", record, name_len_at)
    extra_start = fixed + nlen
    extra = bytes(record[extra_start : extra_start + xlen])
    kept = b"".join(extra[start:end] for tag, start, end in _extra_blocks(extra) if tag != 1)
    if len(kept) != xlen:
        record[extra_start : extra_start + xlen] = kept
        struct.pack_into("<H", record, name_len_at + 2, len(kept))
