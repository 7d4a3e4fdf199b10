/*
 * access.h: the access log's line, one per answered request. It names who
 * asked for what and how it went, never what was sent: the query's keys
 * are kept, their values dropped, because a filter's value can be a
 * person's name.
 */
#ifndef ACCESS_H
#define ACCESS_H

#include <stddef.h>
#include <stdint.h>

struct access_rec {
	int64_t		 wall_ms;	/* when answered, ms since the epoch */
	const char	*addr;		/* client address, "-" if unknown */
	unsigned	 port;
	const char	*who;		/* principal id, or "" */
	const char	*method;	/* "GET", or "-" before one was read */
	const char	*target;	/* path (and query) as sent, or NULL */
	const char	*query;		/* the query after '?' when target
					   holds the path alone, or NULL */
	int		 status;
	uint64_t	 bytes;		/* answer bytes, head and body */
	uint64_t	 us;		/* head read to answer queued */
	int		 resumed;	/* TLS session resumed */
};

/*
 * Format a into buf (NUL-terminated, cut at len) as
 * "access 2026-11-30T17:04:05.123Z 127.0.0.1:53422 alice GET
 * /v1/auditors?unit&limit 200 512 1234us full": bytes outside printable
 * ASCII, spaces and '"' in the target are written as %XX. Returns the
 * length written.
 */
size_t	access_format(char *buf, size_t len, const struct access_rec *a);

#endif
