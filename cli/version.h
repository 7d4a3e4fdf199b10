/*
 * version.h: auditorctl's version, for --version and the User-Agent header.
 */
#ifndef VERSION_H
#define VERSION_H

#define AUDITORCTL_VERSION	"0.1.0"

#endif
