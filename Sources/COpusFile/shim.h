#ifndef CHORUS_COPUSFILE_SHIM_H
#define CHORUS_COPUSFILE_SHIM_H
#include <opusfile.h>
#include <ogg/ogg.h>
#endif
