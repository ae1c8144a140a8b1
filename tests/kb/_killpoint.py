"""Run one `fomo` command and die like kill -9 just before its Nth write to disk.

Used by the kill-point tests: `python _killpoint.py N fomo-args...` exits with KILLED when it
died, or with the command's own exit code when the command finished in fewer writes."""

from __future__ import annotations

import os
import sys

KILLED = 137
WRITES = ("replace", "rename", "mkdir", "rmdir", "unlink", "fsync")


def main() -> None:
    target = int(sys.argv[1])
    seen = 0

    def deadly(call):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            nonlocal seen
            seen += 1
            if seen == target:
                os._exit(KILLED)
            return call(*args, **kwargs)

        return wrapper

    for name in WRITES:
        setattr(os, name, deadly(getattr(os, name)))
    from fomo.cli import main as fomo

    sys.exit(fomo(sys.argv[2:]))


if __name__ == "__main__":
    main()
