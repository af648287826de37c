#!/usr/bin/env python3
"""Write a reproducible zip of a folder: entries sorted by path, fixed date
(1980-01-01), Unix permissions 0755 (executables and shared objects) or 0644,
no directory entries, no extra fields, deflate level 9. The same folder
content always gives the same bytes, whatever its mtimes, owners or umask.

usage: mkzip.py OUT.zip FOLDER
"""

import os
import stat
import sys
import zipfile

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def entries(root):
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            found.append((rel, full))
    return sorted(found)


def write(out, root):
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w") as z:
        for rel, full in entries(root):
            st = os.stat(full)
            mode = 0o755 if st.st_mode & stat.S_IXUSR else 0o644
            info = zipfile.ZipInfo(rel, date_time=FIXED_DATE)
            info.create_system = 3  # Unix, so that external_attr carries the mode
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(full, "rb") as f:
                z.writestr(info, f.read(), compresslevel=9)
    os.replace(tmp, out)


if __name__ == "__main__":
    if len(sys.argv) != 3 or not os.path.isdir(sys.argv[2]):
        sys.exit("usage: mkzip.py OUT.zip FOLDER")
    write(sys.argv[1], sys.argv[2])
