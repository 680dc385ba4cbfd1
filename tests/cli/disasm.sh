#!/usr/bin/env bash
# nonoc disasm: our programs, libseccomp's, and garbage (a clear error, exit 1).
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# One instruction: code (u16), jt (u8), jf (u8), k (u32), little-endian.
insn() { printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x\\x%02x\\x%02x\\x%02x\\x%02x' \
  $(($1 & 255)) $(($1 >> 8)) "$2" "$3" $(($4 & 255)) $((($4 >> 8) & 255)) $((($4 >> 16) & 255)) $((($4 >> 24) & 255)))"; }

# ld arch; jeq x86_64; ld nr; jeq execve -> kill; ret allow; ret kill
{ insn 0x20 0 0 4; insn 0x15 0 3 0xc000003e; insn 0x20 0 0 0; insn 0x15 1 0 59
  insn 0x06 0 0 0x7fff0000; insn 0x06 0 0 0x80000000; } > "$tmp/small.bpf"
out=$("$NONOC" disasm "$tmp/small.bpf")
grep -q 'jeq  #0xc000003e  0002 0005     ; x86_64' <<<"$out" || fail "arch not named: $out"
grep -q '; execve' <<<"$out" || fail "syscall not named: $out"
grep -q 'ret  #0x80000000.*; kill' <<<"$out" || fail "action not named: $out"

# Without an arch check, --arch names the syscalls.
{ insn 0x20 0 0 0; insn 0x15 0 1 221; insn 0x06 0 0 0x00050001; insn 0x06 0 0 0x7fff0000; } > "$tmp/noarch.bpf"
"$NONOC" disasm "$tmp/noarch.bpf" --arch aarch64 | grep -q '; execve' || fail "--arch not used"
"$NONOC" disasm "$tmp/noarch.bpf" | grep -q 'errno EPERM' || fail "errno not named"
set +e
"$NONOC" disasm "$tmp/noarch.bpf" --arch vax 2>/dev/null; [ $? -eq 2 ] || fail "unknown arch: not exit 2"

check_garbage() {  # file, expected message
  err=$("$NONOC" disasm "$1" 2>&1 >/dev/null); status=$?
  [ $status -eq 1 ] || fail "$1: exit $status, not 1"
  grep -q "$2" <<<"$err" || fail "$1: message was: $err"
}
head -c 13 "$tmp/small.bpf" > "$tmp/odd.bpf"
check_garbage "$tmp/odd.bpf" "is not a multiple of 8"
{ insn 0x15 7 0 1; insn 0x06 0 0 0; } > "$tmp/jump.bpf"
check_garbage "$tmp/jump.bpf" "instruction 0: jumps past the end of the program"
{ insn 0x50 0 0 0; insn 0x06 0 0 0; } > "$tmp/opcode.bpf"
check_garbage "$tmp/opcode.bpf" "has opcode 0x0050, which seccomp does not accept"
: > "$tmp/empty.bpf"
check_garbage "$tmp/empty.bpf" "the program is empty"
check_garbage "$tmp/missing.bpf" "cannot read"
set -e

# A filter libseccomp exported (if python3 can reach libseccomp here).
if python3 - "$tmp/libseccomp.bpf" <<'PY' 2>/dev/null; then
import ctypes, os, sys
lib = ctypes.CDLL("libseccomp.so.2")
lib.seccomp_init.restype = ctypes.c_void_p
ctx = ctypes.c_void_p(lib.seccomp_init(0x00050000 | 13))
for name in (b"read", b"write", b"exit_group"):
    lib.seccomp_rule_add(ctx, 0x7fff0000, lib.seccomp_syscall_resolve_name(name), 0)
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
sys.exit(lib.seccomp_export_bpf(ctx, fd))
PY
  out=$("$NONOC" disasm "$tmp/libseccomp.bpf")
  for word in '; read' '; write' '; exit_group' '; errno EACCES' 'x32 ABI'; do
    grep -q "$word" <<<"$out" || fail "libseccomp filter: no '$word' in: $out"
  done
fi
echo ok
