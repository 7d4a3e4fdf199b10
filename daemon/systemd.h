/*
 * systemd.h: the two systemd protocols auditord speaks, written out so
 * that nothing links libsystemd: readiness notification (sd_notify(3))
 * and socket activation (sd_listen_fds(3)). Outside systemd both are
 * no-ops.
 */
#ifndef SYSTEMD_H
#define SYSTEMD_H

#include "log.h"

/*
 * Send one state datagram ("READY=1", "STATUS=...", newline-separated
 * assignments) to $NOTIFY_SOCKET; a name starting with '@' is an
 * abstract socket. Returns 1 if sent, 0 when not under a notifying
 * manager, -1 (errno set) when the send failed: the caller logs that,
 * since a manager waiting for READY=1 would otherwise time out silently.
 */
int	systemd_notify(const char *fmt, ...) LOG_PRINTF(1, 2);

/*
 * The sockets passed by socket activation: LISTEN_PID must be this
 * process, LISTEN_FDS how many, starting at fd 3. Each must be a
 * listening stream socket. Sets them close-on-exec and unsets the
 * variables (a child must not adopt them). Returns how many (0 if none
 * were passed) with the first in *first, or -1 with a message in err.
 */
int	systemd_listen_fds(int *first, char *err, size_t errlen);

#endif
