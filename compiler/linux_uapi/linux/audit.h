/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* The AUDIT_ARCH_* values of Linux's include/uapi/linux/audit.h (there built from the ELF
 * machine numbers and flags), for builds on systems without Linux's headers (macOS): see
 * compiler/linux_uapi/README. */
#ifndef _UAPI_LINUX_AUDIT_H_
#define _UAPI_LINUX_AUDIT_H_

#define AUDIT_ARCH_AARCH64 0xc00000b7U
#define AUDIT_ARCH_ARM 0x40000028U
#define AUDIT_ARCH_I386 0x40000003U
#define AUDIT_ARCH_LOONGARCH64 0xc0000102U
#define AUDIT_ARCH_MIPSEL64 0xc0000008U
#define AUDIT_ARCH_PPC64 0x80000015U
#define AUDIT_ARCH_PPC64LE 0xc0000015U
#define AUDIT_ARCH_RISCV64 0xc00000f3U
#define AUDIT_ARCH_S390X 0x80000016U
#define AUDIT_ARCH_X86_64 0xc000003eU

#endif /* _UAPI_LINUX_AUDIT_H_ */
