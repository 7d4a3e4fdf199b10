/*
 * metrics.h: the server's counters for /metrics: requests by route and
 * status, a latency histogram, bytes sent, TLS handshakes by outcome. Each
 * worker owns one struct metrics and is its only writer; a scrape sums the
 * workers' counters (metrics_sum) from any thread. Writes are relaxed
 * atomic stores of a value the writer itself read, so counting costs no
 * locked instruction and a scrape never sees a torn value, only one a
 * request or two behind.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Route ids are the layer above's (0: the request matched no route, or
 * never reached one); ids at or past METRICS_ROUTES count as 0. The API's
 * router holds at most 256 routes and checks that they fit.
 */
#define METRICS_ROUTES		257

/*
 * The status codes counted one by one (metrics_codes[0..METRICS_CODES-2]);
 * any other counts at index METRICS_CODES - 1.
 */
#define METRICS_CODES		29
extern const int		metrics_codes[METRICS_CODES - 1];

/* Latency histogram: bounds in µs (Prometheus "le"), then +Inf. */
#define METRICS_BUCKETS		16
extern const uint32_t		metrics_bounds_us[METRICS_BUCKETS - 1];

/* How a TLS handshake ended. */
enum metrics_hs {
	METRICS_HS_FULL = 0,	/* done, full handshake */
	METRICS_HS_RESUMED,	/* done, session resumed from a ticket */
	METRICS_HS_NO_CERT,	/* failed: the client sent no certificate */
	METRICS_HS_BAD_CERT,	/* failed: unknown CA, expired, revoked... */
	METRICS_HS_TIMEOUT,	/* failed: the handshake deadline passed */
	METRICS_HS_PROTOCOL,	/* failed: anything else (version, alert) */
	METRICS_HS_N
};
extern const char *const	metrics_hs_names[METRICS_HS_N];

typedef _Atomic uint64_t	metrics_ctr;

struct metrics {
	metrics_ctr	req[METRICS_ROUTES][METRICS_CODES];
	metrics_ctr	lat[METRICS_BUCKETS];
	metrics_ctr	lat_sum_us;
	metrics_ctr	bytes_sent;
	metrics_ctr	hs[METRICS_HS_N];
};

/* Count one finished request (worker thread only). */
void	metrics_request(struct metrics *, unsigned route, int status,
	    uint64_t us, uint64_t bytes);

/* Count one TLS handshake's outcome (worker thread only). */
void	metrics_handshake(struct metrics *, enum metrics_hs);

/* The index of status in metrics_codes (METRICS_CODES - 1: other). */
size_t	metrics_code_index(int status);

/*
 * Add n workers' counters (ms[0..n-1]) into out, which the caller zeroed.
 * Any thread.
 */
void	metrics_sum(struct metrics *out, struct metrics *const *ms, size_t n);

#endif
