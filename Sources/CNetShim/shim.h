#ifndef CHORUS_CNETSHIM_H
#define CHORUS_CNETSHIM_H
/// Batched UDP receive (`recvmmsg`: one system call for many datagrams) for Swift.
///
/// Swift's Glibc module is built without _GNU_SOURCE, so it lacks `recvmmsg` and `struct mmsghdr`.
/// Defining _GNU_SOURCE here would change other libc structs (fd_set) and clash with that module, so
/// this header declares the same layout under its own name and binds it to glibc's symbol with an
/// asm label. Nothing is linked beyond libc.
#include <sys/socket.h>
#include <time.h>

/// Same layout as glibc's `struct mmsghdr` (<bits/socket.h> under _GNU_SOURCE).
struct chorus_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};

/// glibc's `recvmmsg(2)`.
extern int chorus_recvmmsg(int fd, struct chorus_mmsghdr *vmessages, unsigned int vlen, int flags,
                           struct timespec *timeout) __asm__("recvmmsg");

/// glibc's `sched_setaffinity(2)` (also _GNU_SOURCE-only), for pinning benchmark threads to cores;
/// `size` is the byte size of the mask, `mask` points at a `cpu_set_t`.
extern int chorus_sched_setaffinity(int pid, unsigned long size, const void *mask) __asm__("sched_setaffinity");
#endif
