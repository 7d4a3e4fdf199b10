/*
 * fuzz_http.c: libFuzzer harness for the HTTP/1.1 parser (h1.c) and the
 * connection state machine (conn.c): an arbitrary byte stream, cut into
 * pieces at points the input chooses, goes over a bufferevent pair to a
 * real connection whose handlers answer at once, later (as after the
 * writer) or not at all before the client leaves. Nothing may crash, every
 * connection must be freed, and what comes back must be answers.
 *
 * Input: byte 0 picks the piece sizes, byte 1 how the client ends; the
 * rest is the stream (pipelined requests are just more of it).
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "config.h"
#include "server/conn.h"
#include "server/http.h"
#include "server/metrics.h"
#include "server/worker.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct config	cfg;
static struct server	srv;
static struct worker	w;
static struct metrics	metrics;

/* Run what is active (deferred callbacks, answers); no waiting. */
static void
settle(void)
{
	int	i;

	for (i = 0; i < 64 && event_base_get_num_events(w.base,
	    EVENT_BASE_COUNT_ACTIVE) > 0; i++)
		event_base_loop(w.base, EVLOOP_NONBLOCK);
}

static void
later_cb(evutil_socket_t fd, short what, void *arg)
{
	struct req	*r = arg;

	(void)fd;
	(void)what;
	r->pending = 0;
	http_reply_json_take(r, 201, json_pack("{s:i}", "n", 1));
}

/* A few answers of each kind the handlers give. */
static void
dispatch(struct req *r)
{
	static const char *const allowed[] = { "limit", "after", NULL };
	static const struct timeval zero = { 0, 0 };
	const char	*data;
	size_t		 len, limit;

	if (strcmp(r->path, "/later") == 0) {
		r->pending = 1;
		if (event_base_once(w.base, -1, EV_TIMEOUT, later_cb, r,
		    &zero) != 0) {
			r->pending = 0;
			http_problem(r, 503, "busy", "no event");
		}
		return;
	}
	if (strcmp(r->path, "/json") == 0) {
		if (http_parse_if_match(r) != 0 || http_parse_body(r) != 0)
			return;
		if (r->body == NULL)
			http_reply_empty(r, 204);
		else
			http_reply_json_take(r, 200, http_body_take(r));
		return;
	}
	if (strcmp(r->path, "/raw") == 0) {
		if (http_body_raw(r, "text/csv", &data, &len) == 0)
			http_reply(r, 200, "text/csv", data, len);
		return;
	}
	if (strcmp(r->path, "/page") == 0) {
		const char *after;

		if (http_query_check(r, allowed) == 0 &&
		    http_page(r, &limit, &after) == 0)
			http_reply_record(r, 200, "areas", "a", 3, "{}", 2);
		return;
	}
	if (http_header(r, "X-Close") != NULL)
		http_header_add(r, "Connection", "close");
	http_header_add(r, "Allow", "GET, HEAD");
	http_problem(r, 404, "not-found", "no such path");
}

static void *
app_new(struct worker *wk)
{
	return wk;
}

static void
app_free(void *p)
{
	(void)p;
}

static const struct server_app app = { app_new, app_free, dispatch };

static void
setup(void)
{
	cfg.max_connections = 16;
	cfg.max_per_address = 4;
	cfg.handshake_timeout = 10;
	cfg.request_timeout = 30;
	cfg.idle_timeout = 60;
	cfg.max_body = 4096;
	cfg.max_headers = 2048;
	cfg.max_line = 512;
	srv.app = &app;
	srv.cfg = &cfg;
	srv.workers = &w;
	srv.nworkers = 1;
	if (peers_init(&srv.peers, cfg.max_connections,
	    cfg.max_per_address) != 0)
		abort();
	w.srv = &srv;
	w.metrics = &metrics;
	w.base = event_base_new();
	if (w.base == NULL)
		abort();
	TAILQ_INIT(&w.conns);
}

/* Every answer in out starts with a status line and is whole. */
static void
check_answers(struct evbuffer *out)
{
	size_t		 len = evbuffer_get_length(out);
	const char	*p = (const char *)evbuffer_pullup(out, -1);

	if (len > 0 && (len < 9 || memcmp(p, "HTTP/1.1 ", 9) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bufferevent	*pair[2];
	struct sockaddr_un	 sun;
	size_t			 off, n, step;
	int			 i, hangup;

	if (w.base == NULL)
		setup();
	if (size < 2)
		return 0;
	step = data[0] == 0 ? size : data[0];
	hangup = data[1] & 1;
	data += 2;
	size -= 2;
	if (bufferevent_pair_new(w.base, BEV_OPT_DEFER_CALLBACKS, pair) != 0)
		abort();
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (conn_new_bev(&w, pair[0], (struct sockaddr *)&sun,
	    sizeof sun) != 0)
		abort();
	bufferevent_enable(pair[1], EV_READ | EV_WRITE);
	for (off = 0; off < size; off += n) {
		n = size - off < step ? size - off : step;
		bufferevent_write(pair[1], data + off, n);
		settle();
		/* Vary the piece sizes along the stream. */
		step = step * 7 % 251 + 1;
	}
	/* Leave at once, or once every answer came. */
	if (!hangup) {
		settle();
		check_answers(bufferevent_get_input(pair[1]));
	}
	/*
	 * The client leaves: every connection must go. A pair tells its
	 * partner nothing when freed: say EOF as a socket would.
	 */
	bufferevent_free(pair[1]);
	for (i = 0; i < 16 && !TAILQ_EMPTY(&w.conns); i++) {
		struct conn *c = TAILQ_FIRST(&w.conns);

		if (c->bev != NULL)
			bufferevent_trigger_event(c->bev, BEV_EVENT_EOF, 0);
		settle();
	}
	if (!TAILQ_EMPTY(&w.conns))
		abort();
	return 0;
}
