/*
 * metrics.c: per-worker counters and their sum for a scrape (metrics.h).
 * One writer per struct metrics, so an increment is a relaxed load and a
 * relaxed store: no locked instruction on the request path.
 */
#include "server/metrics.h"

const int metrics_codes[METRICS_CODES - 1] = {
	200, 201, 204, 304, 400, 401, 403, 404, 405, 406, 408, 409, 410, 412,
	413, 414, 415, 417, 422, 428, 429, 431, 500, 501, 502, 503, 505, 507
};

const uint32_t metrics_bounds_us[METRICS_BUCKETS - 1] = {
	100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000,
	500000, 1000000, 2500000, 5000000
};

const char *const metrics_hs_names[METRICS_HS_N] = {
	"full", "resumed", "no_certificate", "bad_certificate", "timeout",
	"protocol"
};

static inline void
bump(metrics_ctr *c, uint64_t by)
{
	atomic_store_explicit(c, atomic_load_explicit(c,
	    memory_order_relaxed) + by, memory_order_relaxed);
}

size_t
metrics_code_index(int status)
{
	size_t	i;

	for (i = 0; i < METRICS_CODES - 1; i++)
		if (metrics_codes[i] == status)
			return i;
	return METRICS_CODES - 1;
}

void
metrics_request(struct metrics *m, unsigned route, int status, uint64_t us,
    uint64_t bytes)
{
	size_t	b;

	if (route >= METRICS_ROUTES)
		route = 0;
	bump(&m->req[route][metrics_code_index(status)], 1);
	for (b = 0; b < METRICS_BUCKETS - 1; b++)
		if (us <= metrics_bounds_us[b])
			break;
	bump(&m->lat[b], 1);
	bump(&m->lat_sum_us, us);
	bump(&m->bytes_sent, bytes);
}

void
metrics_handshake(struct metrics *m, enum metrics_hs hs)
{
	if ((unsigned)hs < METRICS_HS_N)
		bump(&m->hs[hs], 1);
}

static void
add(metrics_ctr *to, metrics_ctr *from)
{
	bump(to, atomic_load_explicit(from, memory_order_relaxed));
}

void
metrics_sum(struct metrics *out, struct metrics *const *ms, size_t n)
{
	size_t	i, r, c;

	for (i = 0; i < n; i++) {
		for (r = 0; r < METRICS_ROUTES; r++)
			for (c = 0; c < METRICS_CODES; c++)
				add(&out->req[r][c], &ms[i]->req[r][c]);
		for (c = 0; c < METRICS_BUCKETS; c++)
			add(&out->lat[c], &ms[i]->lat[c]);
		add(&out->lat_sum_us, &ms[i]->lat_sum_us);
		add(&out->bytes_sent, &ms[i]->bytes_sent);
		for (c = 0; c < METRICS_HS_N; c++)
			add(&out->hs[c], &ms[i]->hs[c]);
	}
}
