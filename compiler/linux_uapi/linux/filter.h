/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* The classic BPF part of Linux's include/uapi/linux/filter.h, for builds on systems
 * without Linux's headers (macOS): see compiler/linux_uapi/README. */
#ifndef __LINUX_FILTER_H__
#define __LINUX_FILTER_H__

#include <stdint.h>

#include "linux/bpf_common.h"

struct sock_filter { /* Filter block */
    uint16_t code;   /* Actual filter code */
    uint8_t jt;      /* Jump true */
    uint8_t jf;      /* Jump false */
    uint32_t k;      /* Generic multiuse field */
};

struct sock_fprog { /* Required for SO_ATTACH_FILTER. */
    unsigned short len; /* Number of filter blocks */
    struct sock_filter* filter;
};

/* ret - BPF_K and BPF_X also apply */
#define BPF_RVAL(code)  ((code) & 0x18)
#define         BPF_A           0x10

/* misc */
#define BPF_MISCOP(code) ((code) & 0xf8)
#define         BPF_TAX         0x00
#define         BPF_TXA         0x80

/*
 * Macros for filter block array initializers.
 */
#ifndef BPF_STMT
#define BPF_STMT(code, k) { (unsigned short)(code), 0, 0, k }
#endif
#ifndef BPF_JUMP
#define BPF_JUMP(code, k, jt, jf) { (unsigned short)(code), jt, jf, k }
#endif

/*
 * Number of scratch memory words for: BPF_ST and BPF_STX
 */
#define BPF_MEMWORDS 16

#endif /* __LINUX_FILTER_H__ */
