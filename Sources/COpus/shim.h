#ifndef CHORUS_COPUS_SHIM_H
#define CHORUS_COPUS_SHIM_H
#include <opus.h>

/// `opus_decoder_ctl` is variadic, which Swift cannot call; these wrap the requests Chorus uses.
static inline int chorus_opus_decoder_reset(OpusDecoder *st) {
    return opus_decoder_ctl(st, OPUS_RESET_STATE);
}
static inline int chorus_opus_decoder_last_packet_duration(OpusDecoder *st, opus_int32 *out) {
    return opus_decoder_ctl(st, OPUS_GET_LAST_PACKET_DURATION(out));
}
#endif
