#ifndef CHORUS_CALSA_SHIM_H
#define CHORUS_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#include <sys/eventfd.h>
#include <poll.h>

/// ALSA prints its own diagnostics to stderr through a variadic handler ("ALSA lib pcm.c:...").
/// Chorus reports every failure itself in one line, so it installs a handler that says nothing;
/// Swift cannot define a variadic C function, hence this shim.
static void chorus_alsa_quiet_handler(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}
static inline void chorus_alsa_silence_library_errors(void) {
    snd_lib_error_set_handler(chorus_alsa_quiet_handler);
}
#endif
