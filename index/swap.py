"""Swap two directories in one step, so readers never see a missing index.

``reindex`` builds a new index beside the live one and then exchanges the
two paths with Linux's ``renameat2(RENAME_EXCHANGE)``: at every instant the
index path names a complete index, the old one or the new one.  A running
server notices that the path now names another directory (its inode
changed: :func:`index.schema.index_identity`) and reopens.  Where the call is missing (another kernel or
filesystem) two renames are used instead, which leaves a gap of
microseconds; the server retries across it.
"""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2():
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap the directories at ``a`` and ``b``.  Returns False
    (and swaps with two renames) where the kernel cannot do it in one."""
    call = _renameat2()
    if call is not None:
        if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return True
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(a), None, str(b))
    parked = a.with_name(a.name + ".swapping")
    a.rename(parked)
    b.rename(a)
    parked.rename(b)
    return False
