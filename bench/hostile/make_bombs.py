"""Write the hostile inputs that bench/hostile/run and the engine.hostile_bounds test measure:
valid-looking files built to cost time or memory out of proportion to their size.

    python3 bench/hostile/make_bombs.py OUT_DIR [--quick]

Python stdlib only (zlib, struct). Each file is written once; an existing one is kept.
--quick writes only the files the default test run uses.
"""

import os
import struct
import sys
import zlib


def chunk(kind, body):
    return (struct.pack(">I", len(body)) + kind + body +
            struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


# Adam7 passes: (x0, y0, dx, dy).
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
         (0, 1, 1, 2))


def png(path, width, height, color_type, bit_depth, pixel, interlace=0):
    """A PNG whose every pixel is the bytes @p pixel (filter 0 on every row), compressed as a
    stream; with @p interlace the rows are laid out in Adam7 passes."""
    if os.path.exists(path):
        return
    comp = zlib.compressobj(9)
    parts = []
    passes = ADAM7 if interlace else ((0, 0, 1, 1),)
    for x0, y0, dx, dy in passes:
        pw, ph = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if pw <= 0 or ph <= 0:
            continue
        line = b"\x00" + pixel * pw
        batch = max(1, (1 << 20) // len(line))
        left = ph
        while left:
            n = min(batch, left)
            parts.append(comp.compress(line * n))
            left -= n
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b""))


def jpeg_scans(path, side, scans):
    """A gray progressive JPEG of side x side whose AC scan is repeated @p scans times: each
    repeat is 26 bytes (one end-of-band run over every block) but makes a decoder walk every
    block again."""
    if os.path.exists(path):
        return
    blocks = ((side + 7) // 8) ** 2
    out = bytearray(b"\xff\xd8")
    out += b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + b"\x01" * 64          # DQT
    out += b"\xff\xc2" + struct.pack(">HBHHB", 11, 8, side, side, 1) + b"\x01\x11\x00"  # SOF2
    # DC table: category 0 only (code "0"). AC table: EOB14 ("0") and EOB3 ("10").
    out += b"\xff\xc4" + struct.pack(">H", 20) + b"\x00" + bytes([1] + [0] * 15) + b"\x00"
    out += b"\xff\xc4" + struct.pack(">H", 21) + b"\x10" + bytes([1, 1] + [0] * 14) + b"\xe0\x30"

    def bits_to_bytes(bits):
        bits += "1" * (-len(bits) % 8)
        data = bytearray(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
        return bytes(data).replace(b"\xff", b"\xff\x00")

    dc = bits_to_bytes("0" * blocks)
    out += b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x00\x00" + dc
    runs, left = "", blocks
    while left >= 16384:
        n = min(left, 32767)
        runs += "0" + format(n - 16384, "014b")
        left -= n
    while left:  # EOB3 covers 8..15 blocks; finish with runs of 8 (a few blocks may be over)
        runs += "10" + format(min(left, 15) - 8 if left >= 8 else 0, "03b")
        left -= min(left, 15) if left >= 8 else left
    ac = bits_to_bytes(runs)
    scan = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x01\x3f\x00" + ac
    out += scan * scans
    out += b"\xff\xd9"
    with open(path, "wb") as f:
        f.write(bytes(out))


def main():
    out = sys.argv[1]
    quick = "--quick" in sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)  # noqa: E731
    png(p("png-100000000x1-gray.png"), 100_000_000, 1, 0, 8, b"\x80")
    png(p("png-65535x1-gray.png"), 65535, 1, 0, 8, b"\x80")
    png(p("png-10000x10000-rgba16.png"), 10000, 10000, 6, 16, b"\x12\x34" * 4)
    jpeg_scans(p("jpeg-4096-10000-scans.jpg"), 4096, 10000)
    if not quick:
        png(p("png-1x100000000-gray.png"), 1, 100_000_000, 0, 8, b"\x80")
        png(p("png-1x65535-gray.png"), 1, 65535, 0, 8, b"\x80")
        png(p("png-10000x10000-rgba16-interlaced.png"), 10000, 10000, 6, 16, b"\x12\x34" * 4,
            interlace=1)
        png(p("png-65535x1525-rgba16.png"), 65535, 1525, 6, 16, b"\x12\x34" * 4)
        jpeg_scans(p("jpeg-9984-499-scans.jpg"), 9984, 499)
        jpeg_scans(p("jpeg-512-100000-scans.jpg"), 512, 100000)


if __name__ == "__main__":
    main()
