/*
 * preflight.h: `auditord -n`, every check a start would fail on, made
 * without creating or changing anything.
 */
#ifndef PREFLIGHT_H
#define PREFLIGHT_H

struct config;
struct tls_shared;

/*
 * The listen address can be bound (unless adopted: nfds inherited sockets
 * from systemd), the TLS files read and parse and the key matches the
 * certificate, the store directory (or, when it does not exist yet, the
 * directory it would be made in) and its files can be written. Logs each
 * problem; returns how many there were.
 */
int	preflight_check(const struct config *, struct tls_shared *, int nfds);

#endif
