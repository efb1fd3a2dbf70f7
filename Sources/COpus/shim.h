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
/// Encoder settings used by tests and benchmarks to make realistic packets (FEC, DTX, bitrate).
static inline int chorus_opus_encoder_configure(OpusEncoder *st, opus_int32 bitrate, int fec, int loss_percent, int dtx) {
    int r = opus_encoder_ctl(st, OPUS_SET_BITRATE(bitrate));
    if (r == OPUS_OK) r = opus_encoder_ctl(st, OPUS_SET_INBAND_FEC(fec));
    if (r == OPUS_OK) r = opus_encoder_ctl(st, OPUS_SET_PACKET_LOSS_PERC(loss_percent));
    if (r == OPUS_OK) r = opus_encoder_ctl(st, OPUS_SET_DTX(dtx));
    return r;
}
#endif
