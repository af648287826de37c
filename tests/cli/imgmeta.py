"""Read image dimensions and EXIF orientation from file headers (stdlib only).

Independent of the engine: the CLI tests use it to work out what size every
thumbnail must have, and to read the size of what the CLI wrote.
"""
import struct

PNG_SIG = b"\x89PNG\r\n\x1a\n"
# SOF markers that carry the frame size (not DHT 0xC4, JPG 0xC8, DAC 0xCC).
SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _exif_orientation(app1):
    """Orientation tag (0x0112) of an APP1 Exif payload, or 1."""
    if not app1.startswith(b"Exif\0\0"):
        return 1
    tiff = app1[6:]
    if len(tiff) < 8:
        return 1
    endian = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if endian is None:
        return 1
    (ifd,) = struct.unpack(endian + "I", tiff[4:8])
    if ifd + 2 > len(tiff):
        return 1
    (count,) = struct.unpack(endian + "H", tiff[ifd:ifd + 2])
    for i in range(count):
        entry = tiff[ifd + 2 + 12 * i: ifd + 14 + 12 * i]
        if len(entry) < 12:
            break
        tag, typ, n = struct.unpack(endian + "HHI", entry[:8])
        if tag == 0x0112 and typ == 3 and n == 1:
            (value,) = struct.unpack(endian + "H", entry[8:10])
            return value if 1 <= value <= 8 else 1
    return 1


def probe(data):
    """Return (format, stored_width, stored_height, orientation, details) or None.

    details: for JPEG {"sof": marker, "precision": bits}; for PNG {}.
    """
    if data.startswith(PNG_SIG) and len(data) >= 24 and data[12:16] == b"IHDR":
        w, h = struct.unpack(">II", data[16:24])
        return ("png", w, h, 1, {})
    if not data.startswith(b"\xff\xd8"):
        return None
    pos, orientation, sof = 2, 1, None
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        payload = data[pos + 4:pos + 2 + length]
        if marker == 0xE1 and orientation == 1:
            orientation = _exif_orientation(payload)
        if marker in SOF_MARKERS and len(payload) >= 5:
            precision, h, w = struct.unpack(">BHH", payload[:5])
            sof = (marker, precision, w, h)
        if marker == 0xDA or marker == 0xD9:
            break
        pos += 2 + length
    if sof is None:
        return None
    marker, precision, w, h = sof
    return ("jpeg", w, h, orientation, {"sof": marker, "precision": precision})


def shown_size(w, h, orientation):
    """Size after EXIF orientation: 5..8 swap width and height."""
    return (h, w) if 5 <= orientation <= 8 else (w, h)


def _round_div(a, b, c):
    """round(a * b / c), halves up, as the thumbkit.h contract states."""
    return (a * b + c // 2) // c


def fit_inside(w, h, bw, bh):
    if w <= bw and h <= bh:
        return (w, h)  # never upscale
    if bw * h <= bh * w:
        return (bw, max(1, min(bh, _round_div(h, bw, w))))
    return (max(1, min(bw, _round_div(w, bh, h))), bh)


def fit_cover(w, h, bw, bh):
    if bw * h <= bh * w:
        cw, ch = max(1, min(w, _round_div(h, bw, bh))), h
    else:
        cw, ch = w, max(1, min(h, _round_div(w, bh, bw)))
    if cw >= bw and ch >= bh:
        return (bw, bh)
    return (cw, ch)  # smaller than the box: crop only
