"""Take network access away from a query worker process (Linux seccomp), as a second wall.

The first wall is :mod:`dsih_kg.sparql.limits`, which refuses SERVICE, LOAD and FROM targets that are
not allowed before a query reaches a worker. This one makes it impossible for a worker to open an
Internet socket at all: after :func:`deny_network`, ``socket(AF_INET|AF_INET6, ...)`` fails with EPERM,
so even a query the first wall misjudged cannot reach another host (pyoxigraph 0.5 does follow SERVICE
and LOAD over HTTP). Unix pipes and sockets keep working. Standard library only: the worker imports it
without importing the package.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_AF_INET, _AF_INET6 = 2, 10

# (audit arch, socket syscall number, socketpair is harmless, lowest x32 syscall bit)
_ARCH = {
    "x86_64": (0xC000003E, 41),
    "aarch64": (0xC00000B7, 198),
}

# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def deny_network() -> bool:
    """Forbid this process (and its children) to create IPv4/IPv6 sockets; False where unsupported."""
    arch = _ARCH.get(platform.machine())
    if arch is None or platform.system() != "Linux":
        return False
    audit_arch, nr_socket = arch
    deny = _SECCOMP_RET_ERRNO | errno.EPERM
    program = b"".join(
        [
            _insn(_LD_W_ABS, 0, 0, 4),  # A = arch
            _insn(_JEQ_K, 1, 0, audit_arch),  # other ABI (e.g. i386 via int 0x80): deny sockets wholesale
            _insn(_RET_K, 0, 0, deny),
            _insn(_LD_W_ABS, 0, 0, 0),  # A = syscall number
            _insn(_JGE_K, 0, 1, 0x40000000),  # x32 ABI: deny
            _insn(_RET_K, 0, 0, deny),
            _insn(_JEQ_K, 0, 4, nr_socket),  # not socket(): allow
            _insn(_LD_W_ABS, 0, 0, 16),  # A = low word of args[0] (domain)
            _insn(_JEQ_K, 1, 0, _AF_INET),
            _insn(_JEQ_K, 0, 1, _AF_INET6),
            _insn(_RET_K, 0, 0, deny),
            _insn(_RET_K, 0, 0, _SECCOMP_RET_ALLOW),
        ]
    )
    count = len(program) // 8
    buffer = ctypes.create_string_buffer(program)

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(count, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) == 0
