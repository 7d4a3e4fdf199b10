/*
 * api-metrics.c: GET /metrics in Prometheus' text format (version 0.0.4):
 * the server's request, latency and handshake counters summed over the
 * workers, the store's writer and map, the change log's head and the TLS
 * material's expiry. Admin from anywhere; any principal from loopback, so
 * that a local scraper needs no admin certificate.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>

#include "api/records.h"
#include "api/router.h"
#include "server/metrics.h"
#include "server/worker.h"
#include "version.h"


static void
head(struct evbuffer *b, const char *name, const char *type, const char *help)
{
	evbuffer_add_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

static void
gauge(struct evbuffer *b, const char *name, const char *help, double v)
{
	head(b, name, "gauge", help);
	evbuffer_add_printf(b, "%s %.17g\n", name, v);
}

static void
counter(struct evbuffer *b, const char *name, const char *help, uint64_t v)
{
	head(b, name, "counter", help);
	evbuffer_add_printf(b, "%s %" PRIu64 "\n", name, v);
}

/*
 * A histogram from per-bucket counts (the last past every bound); bounds
 * are in units of scale (1e-6 for µs shown as seconds, 1 for plain counts).
 */
static void
histogram(struct evbuffer *b, const char *name, const char *help,
    const uint32_t *bounds, const uint64_t *counts, size_t n, double scale,
    double sum)
{
	uint64_t	cum = 0;
	size_t		i;

	head(b, name, "histogram", help);
	for (i = 0; i + 1 < n; i++) {
		cum += counts[i];
		evbuffer_add_printf(b, "%s_bucket{le=\"%.17g\"} %" PRIu64 "\n",
		    name, bounds[i] * scale, cum);
	}
	cum += counts[n - 1];
	evbuffer_add_printf(b, "%s_bucket{le=\"+Inf\"} %" PRIu64 "\n"
	    "%s_sum %.17g\n%s_count %" PRIu64 "\n", name, cum, name, sum, name,
	    cum);
}

static void
requests(struct evbuffer *b, const struct metrics *m)
{
	const struct router_entry	*e;
	const char			*method, *pattern;
	char				 code[16];
	uint64_t			 v;
	size_t				 r, c;

	head(b, "auditord_http_requests_total", "counter",
	    "Requests answered, by route pattern, method and status code.");
	for (r = 0; r < METRICS_ROUTES; r++) {
		if (r == 0) {
			method = "";
			pattern = "none";
		} else if (r <= router_count()) {
			e = router_entry(r - 1);
			method = http_method_name(e->route->method);
			pattern = e->pattern;
		} else
			break;
		for (c = 0; c < METRICS_CODES; c++) {
			v = atomic_load_explicit(&m->req[r][c],
			    memory_order_relaxed);
			if (v == 0)
				continue;
			if (c == METRICS_CODES - 1)
				snprintf(code, sizeof code, "other");
			else
				snprintf(code, sizeof code, "%d",
				    metrics_codes[c]);
			evbuffer_add_printf(b, "auditord_http_requests_total"
			    "{route=\"%s\",method=\"%s\",code=\"%s\"} %" PRIu64
			    "\n", pattern, method, code, v);
		}
	}
}

static void
server_part(struct evbuffer *b, struct server *srv)
{
	struct metrics	*m;
	uint64_t	 lat[METRICS_BUCKETS];
	size_t		 i;

	if ((m = calloc(1, sizeof *m)) == NULL)
		return;
	server_metrics(srv, m);
	requests(b, m);
	for (i = 0; i < METRICS_BUCKETS; i++)
		lat[i] = atomic_load_explicit(&m->lat[i], memory_order_relaxed);
	histogram(b, "auditord_http_request_duration_seconds", "Time from a "
	    "request's head read to its answer queued, in seconds.",
	    metrics_bounds_us, lat, METRICS_BUCKETS, 1e-6,
	    (double)atomic_load(&m->lat_sum_us) / 1e6);
	counter(b, "auditord_http_response_bytes_total", "Bytes of answers "
	    "(head and body) handed to TLS.", atomic_load(&m->bytes_sent));
	head(b, "auditord_tls_handshakes_total", "counter",
	    "TLS handshakes by outcome: full, resumed, or the failure's kind.");
	for (i = 0; i < METRICS_HS_N; i++)
		evbuffer_add_printf(b, "auditord_tls_handshakes_total"
		    "{result=\"%s\"} %" PRIu64 "\n", metrics_hs_names[i],
		    (uint64_t)atomic_load(&m->hs[i]));
	gauge(b, "auditord_connections_open", "Open client connections.",
	    (double)atomic_load(&srv->nconns));
	free(m);
}

static void
store_part(struct evbuffer *b, struct store *st)
{
	struct store_metrics	sm;

	if (store_metrics(st, &sm) != STORE_OK)
		return;
	counter(b, "auditord_store_write_batches_total", "Write transactions "
	    "the writer committed (or tried to).", sm.batches);
	counter(b, "auditord_store_changes_total", "Changes those "
	    "transactions held.", sm.changes);
	histogram(b, "auditord_store_batch_changes", "Changes per write "
	    "transaction.", store_batch_bounds, sm.batch_size, STORE_HIST, 1,
	    (double)sm.changes);
	histogram(b, "auditord_store_commit_duration_seconds", "Time to run "
	    "and commit one write transaction, fsync included, in seconds.",
	    store_commit_bounds_us, sm.commit_us, STORE_HIST, 1e-6,
	    (double)sm.commit_us_sum / 1e6);
	gauge(b, "auditord_store_file_size_bytes", "Size of the LMDB data "
	    "file.", (double)sm.file_size);
	gauge(b, "auditord_store_map_size_bytes", "Size of the LMDB map now.",
	    (double)sm.map_size);
	gauge(b, "auditord_store_map_max_bytes", "Size the LMDB map may grow "
	    "to ([store] map_max).", (double)sm.map_max);
	gauge(b, "auditord_store_map_used_bytes", "Bytes of the map's pages "
	    "in use.", (double)sm.map_used);
	gauge(b, "auditord_events_head_sequence", "Sequence number of the "
	    "change log's newest event.", (double)sm.events_seq);
}

static void
tls_part(struct evbuffer *b, struct server *srv)
{
	int64_t	now = (int64_t)time(NULL), crl;

	gauge(b, "auditord_tls_certificate_expiry_seconds", "Seconds until "
	    "the server certificate expires (negative: expired).",
	    (double)(atomic_load(&srv->cert_expires) - now));
	if ((crl = atomic_load(&srv->crl_next_update)) != 0)
		gauge(b, "auditord_tls_crl_next_update_seconds", "Seconds "
		    "until the CRL's next update is due (negative: overdue).",
		    (double)(crl - now));
}

static void
metrics_get(struct call *c)
{
	struct req	*r = c->req;
	struct server	*srv = r->worker->srv;
	struct evbuffer	*b;

	if (http_query_check(r, NULL) != 0)
		return;
	if (c->who.role != ROLE_ADMIN && !http_peer_loopback(r)) {
		http_problem(r, 403, "forbidden", "metrics are for admin, or "
		    "for any principal from loopback");
		return;
	}
	if ((b = evbuffer_new()) == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	evbuffer_add_printf(b, "# HELP auditord_build_info The running "
	    "version.\n# TYPE auditord_build_info gauge\n"
	    "auditord_build_info{version=\"%s\"} 1\n", AUDITORD_VERSION);
	gauge(b, "auditord_start_time_seconds", "When the daemon started, in "
	    "seconds since the epoch.", (double)srv->started);
	server_part(b, srv);
	store_part(b, c->store);
	tls_part(b, srv);
	http_reply_buffer(r, 200, "text/plain; version=0.0.4; charset=utf-8",
	    b);
	evbuffer_free(b);
}

static const struct route metrics_routes[] = {
	{ EVHTTP_REQ_GET, "/metrics", ACCESS_READ, OWNER_CALLER, metrics_get,
	    NULL },
};

/* Every role reads; metrics_get itself narrows to admin or loopback. */
const struct resource resource_metrics = {
	.name = "metrics",
	.grants = {
		.read = SCOPES(ALL, ALL, ALL, ALL, ALL),
		.write = SCOPES(DENY, DENY, DENY, DENY, DENY),
	},
	.routes = metrics_routes,
	.nroutes = NELEM(metrics_routes),
};
