"""Publishing a built site with no moment where readers, or a killed build, find no site.

The new folder is swapped with the old one in one step (Linux's renameat2 with
RENAME_EXCHANGE); where that is missing, two renames are used, and the next build puts
the old folder back if a kill fell between them. A lock file keeps two builds of one
folder apart, and each build first removes the scratch folders killed builds left.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_PR_SET_PDEATHSIG = 1


class BuildBusy(Exception):
    """Another build holds the lock of the folder."""


class Interrupted(Exception):
    """The build was asked to stop (SIGINT or SIGTERM)."""


def scratch_prefix(target: Path) -> str:
    return f".{target.name}-building-"


def old_prefix(target: Path) -> str:
    return f".{target.name}-old-"


@contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold `.<site>.lock` beside the site while building; the kernel lets go of it when the
    process ends, however it ends, so a killed build never leaves the folder locked."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.with_name(f".{target.name}.lock")
    with open(lock, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildBusy(f"another build (pid {holder}) is publishing to {target}; wait for it to finish, then build again") from None
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)


def clean_stale(target: Path) -> list[Path]:
    """Remove what killed builds left beside `target`, and put an old site back if a kill fell
    between the two renames of the fallback swap. Call only while holding the lock."""
    removed = []
    olds = sorted(target.parent.glob(old_prefix(target) + "*"), key=lambda p: p.stat().st_mtime)
    if not target.exists() and olds:
        os.rename(olds.pop(), target)
    for stale in [*target.parent.glob(scratch_prefix(target) + "*"), *olds]:
        shutil.rmtree(stale, ignore_errors=True)
        removed.append(stale)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # a file system without exchange (some network and overlay ones)
    raise OSError(code, os.strerror(code), str(b))


def swap_in(new: Path, target: Path) -> None:
    """Make `new` the published `target`. Readers see the old site or the new one, never none."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old site
        return
    old = target.with_name(f"{old_prefix(target)}{os.getpid()}")
    os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def die_with_parent(parent: int) -> None:
    """In an engine process before it starts: the kernel ends it when the build that started it
    dies, even by SIGKILL, so no engine outlives its build. A build killed between the fork and
    this call cannot signal it any more, so the engine then ends itself."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # held by `signals_held` in the build
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while an engine starts, so a stop request cannot land after the
    fork and before the build has recorded the engine it must stop."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_stop_requests: list[str] = []


def raise_if_stopped() -> None:
    """Raise `Interrupted` if a signal came, even one whose exception Python swallowed (a signal
    that lands while a finaliser runs is printed and dropped): checked before publishing."""
    if _stop_requests:
        raise Interrupted(_stop_requests[0])


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into `Interrupted`, so the build's clean-up runs before it exits."""
    _stop_requests.clear()

    def interrupt(signum: int, frame: FrameType | None) -> None:
        _stop_requests.append(signal.Signals(signum).name)
        raise Interrupted(signal.Signals(signum).name)

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a build run from another thread stops with its caller
        return
    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
