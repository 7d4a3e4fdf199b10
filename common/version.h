/*
 * version.h: the release both programs are built from, for --version, the
 * CLI's User-Agent and the daemon's build_info metric.
 */
#ifndef VERSION_H
#define VERSION_H

#define AUDITORD_VERSION	"0.1.0"
#define AUDITORCTL_VERSION	AUDITORD_VERSION

#endif
