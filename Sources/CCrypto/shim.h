#ifndef CHORUS_CCRYPTO_SHIM_H
#define CHORUS_CCRYPTO_SHIM_H
#include <stddef.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

/// SHA-256 of `count` bytes at `data` into the 32 bytes at `out`. Returns 1 on success.
static inline int chorus_sha256(const void *data, size_t count, unsigned char *out) {
    return SHA256((const unsigned char *)data, count, out) != NULL;
}

/// HMAC-SHA256 of `count` bytes at `data` keyed with `key_count` bytes at `key`, into the 32 bytes at `out`.
/// Returns 1 on success.
static inline int chorus_hmac_sha256(const void *key, size_t key_count, const void *data, size_t count,
                                     unsigned char *out) {
    unsigned int length = 0;
    static const unsigned char empty = 0;
    if (key_count > 0x7fffffff) return 0;
    return HMAC(EVP_sha256(), key_count ? key : &empty, (int)key_count, (const unsigned char *)data, count, out,
                &length) != NULL && length == 32;
}

/// Compares `count` bytes in time independent of their contents. Returns 0 when equal.
static inline int chorus_memcmp_constant_time(const void *a, const void *b, size_t count) {
    return CRYPTO_memcmp(a, b, count);
}
#endif
