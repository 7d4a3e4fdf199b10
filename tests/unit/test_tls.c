/*
 * test_tls.c: common/tls.c under a real evhttp server on loopback with fresh
 * certificates; peers are evhttp with tls_client_bev(), a raw mbedTLS client,
 * curl and openssl s_client.
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "log.h"
#include "tls.h"

/*
 * Fault injection: calloc() here stands in for the C library's for the
 * whole program (libevent's and mbedTLS's allocations too). While
 * calloc_fail_in is positive on a thread, that thread's calloc_fail_in-th
 * call fails. Not under valgrind, whose own calloc takes precedence.
 */
extern void	*__libc_calloc(size_t, size_t);
static _Thread_local long	calloc_fail_in;
static _Thread_local int	calloc_failed;

/*
 * libevent 2.1.12 itself crashes on two allocation failures: its
 * bufferevent_filter_new() uses the result of evbuffer_add_cb() unchecked,
 * and evhttp_request_new() frees a half-made request. Nothing a caller can
 * do about either, so those are never failed here.
 */
static int
calloc_in_libevent_bug(void)
{
	void	*pc[8];
	Dl_info	 di;
	int	 i, n = backtrace(pc, 8), add_cb = 0;

	for (i = 0; i < n; i++) {
		if (dladdr(pc[i], &di) == 0 || di.dli_sname == NULL)
			continue;
		if (strcmp(di.dli_sname, "evhttp_request_new") == 0)
			return 1;
		if (strcmp(di.dli_sname, "evbuffer_add_cb") == 0)
			add_cb = 1;
		else if (add_cb &&
		    strcmp(di.dli_sname, "bufferevent_filter_new") == 0)
			return 1;
	}
	return 0;
}

void *
calloc(size_t n, size_t size)
{
	if (calloc_fail_in > 0 && --calloc_fail_in == 0) {
		if (calloc_in_libevent_bug())
			calloc_fail_in = 1;	/* the next one instead */
		else {
			calloc_failed = 1;
			return NULL;
		}
	}
	return __libc_calloc(n, size);
}

#define BIG		(1024 * 1024)
#define MID		(48 * 1024)	/* under the filter's 64 KiB ahead */
#define SHORT_MS	400	/* handshake bound on the second listener */
#define LONG_MS		20000	/* generous: valgrind makes handshakes slow */

struct server {
	struct event_base	*base;
	struct evhttp		*http;
	struct evhttp		*http_short;
	struct evhttp		*http_small;	/* tiny socket send buffers */
	struct tls_server	*tls;
	struct event		*wake;
	int			 pipefd[2];
	int			 port;
	int			 port_short;
	int			 port_small;
	pthread_t		 thread;
	atomic_int		 accepted;
	atomic_int		 freed;
};

/* One evhttp client connection on its own base. */
struct conn {
	struct event_base		*base;
	struct bufferevent		*bev;
	struct evhttp_connection	*evcon;
};

struct reply {
	struct conn	*k;
	int		 done;
	int		 code;		/* 0: the request failed */
	struct evbuffer	*body;
	char		 peer[65];
	char		 tlserr[320];	/* tls_bev_error(), "" for NULL */
};

struct raw {
	mbedtls_net_context	net;
	mbedtls_ssl_context	ssl;
	mbedtls_ssl_config	conf;
	mbedtls_x509_crt	ca;
	mbedtls_x509_crt	cert;
	mbedtls_pk_context	key;
};

static struct server		 srv;
static struct tls_shared	*shared;
static char			 dir[64];
static unsigned char		*big;
static int			 slow;		/* under valgrind */
static atomic_int		 ev_warnings;
static mbedtls_entropy_context	 t_entropy;
static mbedtls_ctr_drbg_context	 t_drbg;
static unsigned			 long_ms = LONG_MS;
static unsigned			 short_ms = SHORT_MS;
static int			 raw_rcvbuf;	/* SO_RCVBUF for raw_open() */

static const char *
file(const char *name)
{
	static char	ring[8][128];
	static int	i;

	i = (i + 1) % 8;
	snprintf(ring[i], sizeof ring[i], "%s/%s", dir, name);
	return ring[i];
}

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
sha256_hex_of_cert(const char *name, char out[65])
{
	mbedtls_x509_crt	crt;
	unsigned char		h[32];
	int			i;

	mbedtls_x509_crt_init(&crt);
	out[0] = '\0';
	if (mbedtls_x509_crt_parse_file(&crt, file(name)) == 0 &&
	    mbedtls_sha256_ret(crt.raw.p, crt.raw.len, h, 0) == 0)
		for (i = 0; i < 32; i++)
			snprintf(out + 2 * i, 3, "%02x", h[i]);
	mbedtls_x509_crt_free(&crt);
}

static void
ev_log(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN) {
		atomic_fetch_add(&ev_warnings, 1);
		fprintf(stderr, "libevent: %s\n", msg);
	}
}

/* --- the server ---------------------------------------------------- */

static void
srv_onfree(void *arg)
{
	(void)arg;
	atomic_fetch_add(&srv.freed, 1);
}

/*
 * arg points at the handshake bound. On the short listener the bound is
 * also a total deadline for the first request, as auditord's worker does.
 */
static struct bufferevent *
srv_bevcb(struct event_base *base, void *arg)
{
	struct bufferevent	*bev;
	unsigned		 ms = *(unsigned *)arg;

	atomic_fetch_add(&srv.accepted, 1);
	bev = tls_server_bev(srv.tls, base, ms, srv_onfree, NULL);
	if (bev == NULL) {
		/* evhttp would speak plaintext: the test must not go on. */
		fprintf(stderr, "tls_server_bev returned NULL\n");
		abort();
	}
	if (arg == &short_ms && tls_bev_deadline(bev, ms) != 0)
		abort();
	return bev;
}

static void
srv_handle(struct evhttp_request *req, void *arg)
{
	struct evhttp_connection	*evcon = evhttp_request_get_connection(req);
	struct evbuffer			*out = evbuffer_new();
	const char			*uri = evhttp_request_get_uri(req);
	unsigned char			 h[32];
	char				 hex[65] = "none";
	int				 i, code = 200;

	(void)arg;
	evhttp_connection_set_closecb(evcon, tls_evhttp_closecb, NULL);
	/* The request is in: no deadline while it is answered. */
	if (tls_bev_deadline(evhttp_connection_get_bufferevent(evcon), 0) != 0)
		abort();
	if (tls_peer_sha256(evhttp_connection_get_bufferevent(evcon), h) == 0)
		for (i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", h[i]);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "X-Peer-SHA256", hex);
	if (strcmp(uri, "/hello") == 0)
		evbuffer_add(out, "hello", 5);
	else if (strcmp(uri, "/echo") == 0)
		evbuffer_add_buffer(out, evhttp_request_get_input_buffer(req));
	else if (strcmp(uri, "/big") == 0)
		evbuffer_add(out, big, BIG);
	else if (strcmp(uri, "/mid") == 0)
		evbuffer_add(out, big, MID);
	else if (strcmp(uri, "/noclose") == 0) {
		/* Close with a bare FIN: what a truncation attack looks like. */
		evhttp_connection_set_closecb(evcon, NULL, NULL);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Connection", "close");
		evbuffer_add(out, big, MID);
	}
	else
		code = 404;
	evhttp_send_reply(req, code, code == 200 ? "OK" : "Not Found", out);
	evbuffer_free(out);
}

static void
srv_wake(evutil_socket_t fd, short what, void *arg)
{
	char	c;

	(void)what;
	(void)arg;
	if (read(fd, &c, 1) == 1)
		event_base_loopbreak(srv.base);
}

static void *
srv_main(void *arg)
{
	(void)arg;
	event_base_dispatch(srv.base);
	return NULL;
}

static int
srv_start(void)
{
	return pthread_create(&srv.thread, NULL, srv_main, NULL);
}

static void
srv_stop(void)
{
	if (write(srv.pipefd[1], "x", 1) == 1)
		pthread_join(srv.thread, NULL);
}

/* sndbuf: accepted sockets inherit the listener's SO_SNDBUF (0: leave). */
static int
srv_listen(struct evhttp **http, unsigned *ms, int *port, int sndbuf)
{
	struct evhttp_bound_socket	*bs;
	struct sockaddr_in		 sin;
	socklen_t			 sl = sizeof sin;

	if ((*http = evhttp_new(srv.base)) == NULL)
		return -1;
	evhttp_set_bevcb(*http, srv_bevcb, ms);
	evhttp_set_gencb(*http, srv_handle, NULL);
	/*
	 * evhttp's timeouts arm the filter's generic timers: with them, a
	 * filter freed inside its own write callback used to be left in the
	 * timer heap (valgrind shows it; natively the loop could spin).
	 */
	evhttp_set_timeout(*http, 60);
	if ((bs = evhttp_bind_socket_with_handle(*http, "127.0.0.1", 0)) ==
	    NULL || getsockname(evhttp_bound_socket_get_fd(bs),
	    (struct sockaddr *)&sin, &sl) == -1)
		return -1;
	*port = ntohs(sin.sin_port);
	if (sndbuf > 0 && setsockopt(evhttp_bound_socket_get_fd(bs),
	    SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf) == -1)
		return -1;
	return 0;
}

/* --- an evhttp client through tls_client_bev() --------------------- */

static int
conn_open(struct conn *k, struct tls_client *cl, int port)
{
	memset(k, 0, sizeof *k);
	if ((k->base = event_base_new()) == NULL ||
	    (k->bev = tls_client_bev(cl, k->base, -1)) == NULL ||
	    (k->evcon = evhttp_connection_base_bufferevent_new(k->base, NULL,
	    k->bev, "127.0.0.1", port)) == NULL)
		return -1;
	evhttp_connection_set_timeout(k->evcon, slow ? 120 : 20);
	return 0;
}

static void
conn_close(struct conn *k)
{
	int	i;

	if (k->evcon != NULL)
		evhttp_connection_free(k->evcon);
	else if (k->bev != NULL)
		bufferevent_free(k->bev);
	if (k->base == NULL)
		return;
	for (i = 0; i < 4; i++)		/* let finalizers run */
		event_base_loop(k->base, EVLOOP_NONBLOCK);
	event_base_free(k->base);
}

static void
reply_cb(struct evhttp_request *req, void *arg)
{
	struct reply	*r = arg;
	const char	*s;

	r->done = 1;
	if (req != NULL && (r->code = evhttp_request_get_response_code(req))) {
		evbuffer_add_buffer(r->body,
		    evhttp_request_get_input_buffer(req));
		if ((s = evhttp_find_header(evhttp_request_get_input_headers(req),
		    "X-Peer-SHA256")) != NULL)
			snprintf(r->peer, sizeof r->peer, "%s", s);
	} else if ((s = tls_bev_error(r->k->bev)) != NULL)
		snprintf(r->tlserr, sizeof r->tlserr, "%s", s);
	event_base_loopbreak(r->k->base);
}

static void
conn_do(struct conn *k, enum evhttp_cmd_type type, const char *path,
    const void *body, size_t len, int close, struct reply *r)
{
	struct evhttp_request	*req;

	memset(r, 0, sizeof *r);
	r->k = k;
	r->body = evbuffer_new();
	if ((req = evhttp_request_new(reply_cb, r)) == NULL)
		return;
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host",
	    "localhost");
	if (close)
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Connection", "close");
	if (body != NULL)
		evbuffer_add(evhttp_request_get_output_buffer(req), body, len);
	if (evhttp_make_request(k->evcon, req, type, path) != 0)
		return;
	while (!r->done)
		if (event_base_dispatch(k->base) != 0)
			break;
}

/* One request on a fresh connection. */
static void
fetch(struct tls_client *cl, int port, const char *path, struct reply *r,
    struct conn *k)
{
	if (conn_open(k, cl, port) == -1) {
		memset(r, 0, sizeof *r);
		r->body = evbuffer_new();
		return;
	}
	conn_do(k, EVHTTP_REQ_GET, path, NULL, 0, 0, r);
}

static int
body_is(struct evbuffer *b, const void *data, size_t len)
{
	return evbuffer_get_length(b) == len &&
	    memcmp(evbuffer_pullup(b, -1), data, len) == 0;
}

static struct tls_client *
client(const char *ca, const char *name, const char *servername)
{
	struct tls_client	*cl;
	char			 crt[64], key[64], err[256];

	snprintf(crt, sizeof crt, "%s.crt", name ? name : "");
	snprintf(key, sizeof key, "%s.key", name ? name : "");
	cl = tls_client_new(shared, file(ca), name ? file(crt) : NULL,
	    name ? file(key) : NULL, servername, err, sizeof err);
	if (cl == NULL)
		fprintf(stderr, "tls_client_new: %s\n", err);
	return cl;
}

/* --- a raw, blocking mbedTLS client --------------------------------- */

/* Returns 0 or the handshake's mbedTLS error. */
static int
raw_open(struct raw *w, int port, const char *name, int max_minor,
    const mbedtls_ssl_session *resume)
{
	char	p[16], crt[64], key[64];
	int	r, one = 1;

	mbedtls_net_init(&w->net);
	mbedtls_ssl_init(&w->ssl);
	mbedtls_ssl_config_init(&w->conf);
	mbedtls_x509_crt_init(&w->ca);
	mbedtls_x509_crt_init(&w->cert);
	mbedtls_pk_init(&w->key);
	if ((r = mbedtls_ssl_config_defaults(&w->conf, MBEDTLS_SSL_IS_CLIENT,
	    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT)) != 0 ||
	    (r = mbedtls_x509_crt_parse_file(&w->ca, file("ca.crt"))) != 0)
		return r;
	mbedtls_ssl_conf_max_version(&w->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
	    max_minor);
	mbedtls_ssl_conf_ca_chain(&w->conf, &w->ca, NULL);
	mbedtls_ssl_conf_authmode(&w->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
	mbedtls_ssl_conf_rng(&w->conf, mbedtls_ctr_drbg_random, &t_drbg);
	mbedtls_ssl_conf_read_timeout(&w->conf, slow ? 60000 : 10000);
	if (name != NULL) {
		snprintf(crt, sizeof crt, "%s.crt", name);
		snprintf(key, sizeof key, "%s.key", name);
		if ((r = mbedtls_x509_crt_parse_file(&w->cert, file(crt))) ||
		    (r = mbedtls_pk_parse_keyfile(&w->key, file(key), NULL)) ||
		    (r = mbedtls_ssl_conf_own_cert(&w->conf, &w->cert,
		    &w->key)))
			return r;
	}
	snprintf(p, sizeof p, "%d", port);
	if ((r = mbedtls_ssl_setup(&w->ssl, &w->conf)) != 0 ||
	    (r = mbedtls_ssl_set_hostname(&w->ssl, "localhost")) != 0 ||
	    (r = mbedtls_net_connect(&w->net, "127.0.0.1", p,
	    MBEDTLS_NET_PROTO_TCP)) != 0)
		return r;
	/* mbedTLS sends each handshake message on its own: no Nagle waits. */
	setsockopt(w->net.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (raw_rcvbuf > 0)
		setsockopt(w->net.fd, SOL_SOCKET, SO_RCVBUF, &raw_rcvbuf,
		    sizeof raw_rcvbuf);
	mbedtls_ssl_set_bio(&w->ssl, &w->net, mbedtls_net_send, NULL,
	    mbedtls_net_recv_timeout);
	if (resume != NULL && (r = mbedtls_ssl_set_session(&w->ssl,
	    resume)) != 0)
		return r;
	while ((r = mbedtls_ssl_handshake(&w->ssl)) ==
	    MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE)
		;
	return r;
}

/* The alert description the server sent, when the handshake failed. */
static int
raw_alert(struct raw *w)
{
	return w->ssl.in_msg != NULL ? w->ssl.in_msg[1] : -1;
}

static void
raw_close(struct raw *w)
{
	mbedtls_net_free(&w->net);
	mbedtls_ssl_free(&w->ssl);
	mbedtls_ssl_config_free(&w->conf);
	mbedtls_x509_crt_free(&w->ca);
	mbedtls_x509_crt_free(&w->cert);
	mbedtls_pk_free(&w->key);
}

/*
 * Send a request and read until the connection ends: 1 after close_notify,
 * 0 at EOF without it, -1 on error or timeout.
 */
static int
raw_exchange(struct raw *w, const char *req, struct evbuffer *got,
    int delay_ms)
{
	unsigned char	buf[16384];
	size_t		off = 0, len = strlen(req);
	int		r;

	while (off < len) {
		r = mbedtls_ssl_write(&w->ssl, (const unsigned char *)req + off,
		    len - off);
		if (r > 0)
			off += (size_t)r;
		else if (r != MBEDTLS_ERR_SSL_WANT_WRITE &&
		    r != MBEDTLS_ERR_SSL_WANT_READ)
			return -1;
	}
	if (delay_ms > 0)	/* back-pressure: let the server's data pile up */
		usleep((useconds_t)delay_ms * 1000);
	for (;;) {
		r = mbedtls_ssl_read(&w->ssl, buf, sizeof buf);
		if (r > 0)
			evbuffer_add(got, buf, (size_t)r);
		else if (r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
			return 1;
		else if (r == 0 || r == MBEDTLS_ERR_NET_CONN_RESET)
			return 0;
		else if (r != MBEDTLS_ERR_SSL_WANT_READ &&
		    r != MBEDTLS_ERR_SSL_WANT_WRITE)
			return -1;
	}
}

/* 1 if got holds a 200 response whose body is len bytes of the pattern. */
static int
response_is(struct evbuffer *got, size_t want)
{
	struct evbuffer_ptr	 p;
	unsigned char		*all;
	size_t			 len = evbuffer_get_length(got), hdr;

	p = evbuffer_search(got, "\r\n\r\n", 4, NULL);
	if (p.pos < 0)
		return 0;
	hdr = (size_t)p.pos + 4;
	all = evbuffer_pullup(got, -1);
	return strncmp((char *)all, "HTTP/1.", 7) == 0 &&
	    strncmp((char *)all + 8, " 200", 4) == 0 && len - hdr == want &&
	    memcmp(all + hdr, big, want) == 0;
}

/* Run a shell command; its exit status, output in out. */
static int
run(const char *cmd, char *out, size_t outlen)
{
	FILE	*f;
	size_t	 n;
	int	 st;

	out[0] = '\0';
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* --- the cases ------------------------------------------------------ */

static void
test_get(void)
{
	struct tls_client	*cl = client("ca.crt", "alice", "localhost");
	struct conn		 k;
	struct reply		 r;
	char			 want[65];

	CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
	fetch(cl, srv.port, "/hello", &r, &k);
	CU_ASSERT_EQUAL(r.code, 200);
	CU_ASSERT(body_is(r.body, "hello", 5));
	sha256_hex_of_cert("alice.crt", want);
	CU_ASSERT_STRING_EQUAL(r.peer, want);
	evbuffer_free(r.body);
	conn_close(&k);
	tls_client_free(cl);
}

static void
test_big_both_ways(void)
{
	struct tls_client	*cl = client("ca.crt", "alice", "localhost");
	struct conn		 k;
	struct reply		 r;
	double			 t;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
	CU_ASSERT_FATAL(conn_open(&k, cl, srv.port) == 0);
	conn_do(&k, EVHTTP_REQ_GET, "/hello", NULL, 0, 0, &r);	/* handshake */
	CU_ASSERT_EQUAL(r.code, 200);
	evbuffer_free(r.body);
	t = now_ms();
	conn_do(&k, EVHTTP_REQ_POST, "/echo", big, BIG, 0, &r);
	t = now_ms() - t;
	CU_ASSERT_EQUAL(r.code, 200);
	CU_ASSERT(body_is(r.body, big, BIG));
	printf("\n    1 MiB up + 1 MiB down through the filter: %.1f ms "
	    "(%.0f MB/s)\n", t, 2.0 * BIG / 1e3 / t);
	evbuffer_free(r.body);
	conn_do(&k, EVHTTP_REQ_GET, "/big", NULL, 0, 0, &r);
	CU_ASSERT_EQUAL(r.code, 200);
	CU_ASSERT(body_is(r.body, big, BIG));
	evbuffer_free(r.body);
	conn_close(&k);
	tls_client_free(cl);
}

static void
test_keepalive(void)
{
	struct tls_client	*cl = client("ca.crt", "bob", "localhost");
	struct conn		 k;
	struct reply		 r;
	int			 i, before = atomic_load(&srv.accepted);

	CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
	CU_ASSERT_FATAL(conn_open(&k, cl, srv.port) == 0);
	for (i = 0; i < 5; i++) {
		conn_do(&k, EVHTTP_REQ_GET, "/hello", NULL, 0, 0, &r);
		CU_ASSERT_EQUAL(r.code, 200);
		CU_ASSERT(body_is(r.body, "hello", 5));
		evbuffer_free(r.body);
	}
	CU_ASSERT_EQUAL(atomic_load(&srv.accepted) - before, 1);
	conn_close(&k);
	tls_client_free(cl);
}

/*
 * "Connection: close" with 1 MiB: evhttp closes right after its write
 * callback, so the body must have reached the socket by then. A second
 * request on the same evhttp connection makes evhttp reconnect: the client
 * filter must start a fresh handshake on the new socket.
 */
static void
test_close_response(void)
{
	struct tls_client	*cl = client("ca.crt", "alice", "localhost");
	struct conn		 k;
	struct reply		 r;
	int			 before = atomic_load(&srv.accepted);

	CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
	CU_ASSERT_FATAL(conn_open(&k, cl, srv.port) == 0);
	conn_do(&k, EVHTTP_REQ_GET, "/big", NULL, 0, 1, &r);
	CU_ASSERT_EQUAL(r.code, 200);
	CU_ASSERT(body_is(r.body, big, BIG));
	evbuffer_free(r.body);
	conn_do(&k, EVHTTP_REQ_GET, "/hello", NULL, 0, 0, &r);
	CU_ASSERT_EQUAL(r.code, 200);
	CU_ASSERT(body_is(r.body, "hello", 5));
	evbuffer_free(r.body);
	CU_ASSERT_EQUAL(atomic_load(&srv.accepted) - before, 2);
	conn_close(&k);
	tls_client_free(cl);
}

/*
 * The server's last record after a final response is close_notify, and
 * all of the response comes before it. The last case reads late from a
 * server with a 4 KiB socket send buffer, the response smaller than what
 * the filter encrypts ahead: evhttp must not learn that the
 * response is written (and close) while most of it is still queued: the
 * client's small receive buffer keeps the kernel from taking it all.
 */
static void
test_close_notify(void)
{
	static const struct {
		const char	*req;
		size_t		 len;
		int		 small, delay_ms;
	} c[] = {
		{ "GET /big HTTP/1.1\r\nHost: localhost\r\n"
		    "Connection: close\r\n\r\n", BIG, 0, 0 },
		{ "GET /big HTTP/1.0\r\n\r\n", BIG, 0, 0 }, /* no length */
		{ "GET /mid HTTP/1.1\r\nHost: localhost\r\n"
		    "Connection: close\r\n\r\n", MID, 1, 300 },
	};
	struct raw		 w;
	struct evbuffer		*got;
	size_t			 i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		got = evbuffer_new();
		raw_rcvbuf = c[i].small ? 4096 : 0;
		CU_ASSERT_EQUAL_FATAL(raw_open(&w, c[i].small ? srv.port_small :
		    srv.port, "alice", MBEDTLS_SSL_MINOR_VERSION_3, NULL), 0);
		raw_rcvbuf = 0;
		CU_ASSERT_EQUAL(raw_exchange(&w, c[i].req, got,
		    c[i].delay_ms), 1);
		CU_ASSERT(response_is(got, c[i].len));
		raw_close(&w);
		evbuffer_free(got);
	}
}

static void
test_no_client_cert(void)
{
	struct tls_client	*cl = client("ca.crt", NULL, "localhost");
	struct raw		 w;
	struct conn		 k;
	struct reply		 r;

	CU_ASSERT_EQUAL(raw_open(&w, srv.port, NULL,
	    MBEDTLS_SSL_MINOR_VERSION_3, NULL),
	    MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);
	CU_ASSERT_EQUAL(raw_alert(&w), MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE);
	raw_close(&w);

	CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
	fetch(cl, srv.port, "/hello", &r, &k);
	CU_ASSERT_EQUAL(r.code, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.tlserr, "handshake_failure"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.tlserr, "client certificate"));
	evbuffer_free(r.body);
	conn_close(&k);
	tls_client_free(cl);
}

static void
test_rogue_client_cert(void)
{
	struct tls_client	*cl = client("ca.crt", "rogue", "localhost");
	struct raw		 w;
	struct conn		 k;
	struct reply		 r;

	CU_ASSERT_EQUAL(raw_open(&w, srv.port, "rogue",
	    MBEDTLS_SSL_MINOR_VERSION_3, NULL),
	    MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);
	CU_ASSERT_EQUAL(raw_alert(&w), MBEDTLS_SSL_ALERT_MSG_UNKNOWN_CA);
	raw_close(&w);

	CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
	fetch(cl, srv.port, "/hello", &r, &k);
	CU_ASSERT_EQUAL(r.code, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.tlserr, "unknown_ca"));
	evbuffer_free(r.body);
	conn_close(&k);
	tls_client_free(cl);
}

static void
test_tls11_rejected(void)
{
	struct raw	w;

	CU_ASSERT_EQUAL(raw_open(&w, srv.port, "alice",
	    MBEDTLS_SSL_MINOR_VERSION_2, NULL),
	    MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);
	CU_ASSERT_EQUAL(raw_alert(&w), MBEDTLS_SSL_ALERT_MSG_PROTOCOL_VERSION);
	raw_close(&w);
}

static void
test_peer_sha256(void)
{
	static const char	*who[] = { "alice", "bob", "admin" };
	struct tls_client	*cl;
	struct conn		 k;
	struct reply		 r;
	char			 want[65], name[64], seen[3][65];
	unsigned char		 h[32];
	size_t			 i;

	for (i = 0; i < 3; i++) {
		cl = client("ca.crt", who[i], "localhost");
		CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
		fetch(cl, srv.port, "/hello", &r, &k);
		CU_ASSERT_EQUAL(r.code, 200);
		snprintf(name, sizeof name, "%s.crt", who[i]);
		sha256_hex_of_cert(name, want);
		CU_ASSERT_STRING_EQUAL(r.peer, want);
		snprintf(seen[i], sizeof seen[i], "%s", r.peer);
		/* The client side knows the server's certificate too. */
		CU_ASSERT_EQUAL(tls_peer_sha256(k.bev, h), 0);
		evbuffer_free(r.body);
		conn_close(&k);
		tls_client_free(cl);
	}
	CU_ASSERT(strcmp(seen[0], seen[1]) != 0);
	CU_ASSERT(strcmp(seen[1], seen[2]) != 0);
	/* Not one of ours, or not connected: -1. */
	CU_ASSERT_EQUAL(tls_peer_sha256(NULL, h), -1);
}

static void
test_server_checked(void)
{
	static const struct {
		const char	*ca, *name, *want;
	} c[] = {
		{ "rogue-ca.crt", "localhost", "server certificate not trusted" },
		{ "ca.crt", "wrong.example", "not valid for wrong.example" },
		{ "ca.crt", "10.9.8.7", "not valid for 10.9.8.7" },
		{ "ca.crt", "127.0.0.1", NULL },	/* IP SAN */
		{ "ca.crt", "::1", NULL },
	};
	struct tls_client	*cl;
	struct conn		 k;
	struct reply		 r;
	size_t			 i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		cl = client(c[i].ca, "alice", c[i].name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
		fetch(cl, srv.port, "/hello", &r, &k);
		if (c[i].want == NULL) {
			CU_ASSERT_EQUAL(r.code, 200);
		} else {
			CU_ASSERT_EQUAL(r.code, 0);
			CU_ASSERT_PTR_NOT_NULL(strstr(r.tlserr, c[i].want));
		}
		evbuffer_free(r.body);
		conn_close(&k);
		tls_client_free(cl);
	}
}

/* A refused connection is not a TLS failure. */
static void
test_refused(void)
{
	struct tls_client	*cl = client("ca.crt", "alice", "localhost");
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof sin;
	struct conn		 k;
	struct reply		 r;
	int			 fd, port;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CU_ASSERT_FATAL(fd >= 0 && bind(fd, (struct sockaddr *)&sin,
	    sizeof sin) == 0 && getsockname(fd, (struct sockaddr *)&sin,
	    &sl) == 0);
	port = ntohs(sin.sin_port);
	close(fd);
	fetch(cl, port, "/hello", &r, &k);
	CU_ASSERT_EQUAL(r.code, 0);
	CU_ASSERT_STRING_EQUAL(r.tlserr, "");
	evbuffer_free(r.body);
	conn_close(&k);
	tls_client_free(cl);
}

/* ms until the server closes a connection sent only prefix; -1 if never. */
static double
closed_after(const char *prefix, size_t len)
{
	struct sockaddr_in	sin;
	struct pollfd		pfd;
	double			t0, t = -1;
	char			buf[64];
	int			fd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(srv.port_short);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	t0 = now_ms();
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == 0 &&
	    (len == 0 || write(fd, prefix, len) == (ssize_t)len)) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		while (poll(&pfd, 1, (int)short_ms * 10) == 1) {
			ssize_t n = read(fd, buf, sizeof buf);
			if (n == 0 || (n < 0 && errno == ECONNRESET)) {
				t = now_ms() - t0;
				break;
			}
			if (n < 0)
				break;
		}
	}
	close(fd);
	return t;
}

static void
test_handshake_deadline(void)
{
	/* A record header promising a ClientHello that never comes. */
	static const char	hello_start[] = "\x16\x03\x01\x01\x00\x01";
	double			t;

	t = closed_after(NULL, 0);
	printf("\n    silent connection closed after %.0f ms (bound %u)", t,
	    short_ms);
	CU_ASSERT(t >= short_ms - 20 && t < short_ms + 1500);
	t = closed_after(hello_start, sizeof hello_start - 1);
	printf("; half a ClientHello: %.0f ms\n", t);
	CU_ASSERT(t >= short_ms - 20 && t < short_ms + 1500);
}

/*
 * tls_bev_deadline() outlives the handshake: headers that never finish are
 * cut off at the deadline (with close_notify); a request that arrived in
 * time cleared it, so the connection then stays open past it.
 */
static void
test_total_deadline(void)
{
	struct tls_client	*cl = client("ca.crt", "alice", "localhost");
	struct raw		 w;
	struct evbuffer		*got = evbuffer_new();
	struct conn		 k;
	struct reply		 r;
	double			 t;
	int			 before;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
	t = now_ms();
	CU_ASSERT_EQUAL_FATAL(raw_open(&w, srv.port_short, "alice",
	    MBEDTLS_SSL_MINOR_VERSION_3, NULL), 0);
	CU_ASSERT_EQUAL(raw_exchange(&w, "GET /hello HTTP/1.1\r\nHost: x\r\n",
	    got, 0), 1);
	t = now_ms() - t;
	printf("\n    unfinished headers cut off after %.0f ms (deadline %u)\n",
	    t, short_ms);
	CU_ASSERT(t >= short_ms - 20 && t < short_ms + 1500);
	CU_ASSERT_EQUAL(evbuffer_get_length(got), 0);
	raw_close(&w);
	evbuffer_free(got);

	before = atomic_load(&srv.accepted);
	CU_ASSERT_FATAL(conn_open(&k, cl, srv.port_short) == 0);
	conn_do(&k, EVHTTP_REQ_GET, "/hello", NULL, 0, 0, &r);
	CU_ASSERT_EQUAL(r.code, 200);
	evbuffer_free(r.body);
	usleep((useconds_t)(short_ms + 300) * 1000);
	conn_do(&k, EVHTTP_REQ_GET, "/hello", NULL, 0, 0, &r);
	CU_ASSERT_EQUAL(r.code, 200);
	evbuffer_free(r.body);
	CU_ASSERT_EQUAL(atomic_load(&srv.accepted) - before, 1);
	conn_close(&k);
	tls_client_free(cl);
}

struct direct {
	struct event_base	*base;
	int			 connected;	/* BEV_EVENT_CONNECTED seen */
	short			 end;		/* the final event */
};

static void
direct_event(struct bufferevent *bev, short what, void *arg)
{
	struct direct	*d = arg;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		d->connected++;
		return;
	}
	d->end = what;
	event_base_loopbreak(d->base);
}

/*
 * The bufferevent without evhttp, as auditorctl uses it: a socket it
 * connected itself, the request written before the handshake is done, the
 * answer read to the end, which close_notify marks: a bare FIN is an error.
 */
static void
test_client_direct(void)
{
	static const char	*reqs[] = {
		"GET /big HTTP/1.1\r\nHost: localhost\r\n"
		    "Connection: close\r\n\r\n",
		"GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n",
		"GET /noclose HTTP/1.1\r\nHost: localhost\r\n\r\n"
	};
	static const char	*cas[] = { "ca.crt", "rogue-ca.crt", "ca.crt" };
	struct tls_client	*cl;
	struct bufferevent	*bev;
	struct sockaddr_in	 sin;
	struct direct		 d;
	const char		*e;
	size_t			 i;
	int			 fd;

	for (i = 0; i < 3; i++) {
		cl = client(cas[i], "alice", "localhost");
		CU_ASSERT_PTR_NOT_NULL_FATAL(cl);
		memset(&d, 0, sizeof d);
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin.sin_port = htons(srv.port);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		CU_ASSERT_FATAL(fd >= 0 && connect(fd, (struct sockaddr *)&sin,
		    sizeof sin) == 0 && evutil_make_socket_nonblocking(fd) == 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(d.base = event_base_new());
		bev = tls_client_bev(cl, d.base, fd);
		CU_ASSERT_PTR_NOT_NULL_FATAL(bev);
		bufferevent_setcb(bev, NULL, NULL, direct_event, &d);
		CU_ASSERT(bufferevent_enable(bev, EV_READ | EV_WRITE) == 0);
		CU_ASSERT(bufferevent_write(bev, reqs[i], strlen(reqs[i])) == 0);
		event_base_dispatch(d.base);
		e = tls_bev_error(bev);
		if (i == 0) {
			CU_ASSERT_EQUAL(d.connected, 1);
			CU_ASSERT_EQUAL(d.end, BEV_EVENT_EOF | BEV_EVENT_READING);
			CU_ASSERT_PTR_NULL(e);
			CU_ASSERT(response_is(bufferevent_get_input(bev), BIG));
		} else if (i == 1) {
			CU_ASSERT_EQUAL(d.connected, 0);
			CU_ASSERT(d.end & BEV_EVENT_ERROR);
			CU_ASSERT(e != NULL && strstr(e,
			    "server certificate not trusted") != NULL);
			CU_ASSERT_EQUAL(evbuffer_get_length(
			    bufferevent_get_input(bev)), 0);
		} else {
			CU_ASSERT_EQUAL(d.connected, 1);
			CU_ASSERT_EQUAL(d.end, BEV_EVENT_ERROR |
			    BEV_EVENT_READING);
			CU_ASSERT(e != NULL && strstr(e,
			    "without close_notify") != NULL);
			CU_ASSERT(response_is(bufferevent_get_input(bev), MID));
		}
		bufferevent_free(bev);
		event_base_loop(d.base, EVLOOP_NONBLOCK);
		event_base_free(d.base);
		tls_client_free(cl);
	}
}

static void
test_curl(void)
{
	char	cmd[4096], out[512], common[512], body[128];
	FILE	*f;
	int	before, rc;

	if (system("command -v curl >/dev/null 2>&1") != 0) {
		CU_FAIL("curl is not installed");
		return;
	}
	snprintf(common, sizeof common, "curl -sS --max-time 60 --resolve "
	    "localhost:%d:127.0.0.1 --cacert %s", srv.port, file("ca.crt"));
	snprintf(body, sizeof body, "%s", file("body.bin"));
	f = fopen(body, "w");
	CU_ASSERT_FATAL(f != NULL && fwrite(big, 1, BIG, f) == BIG &&
	    fclose(f) == 0);

	/* GET 1 MiB, and keep-alive: three URLs, one connection. */
	before = atomic_load(&srv.accepted);
	snprintf(cmd, sizeof cmd, "%s --cert %s --key %s -o /dev/null -o "
	    "/dev/null -o /dev/null -w '%%{http_code} %%{size_download} ' "
	    "https://localhost:%d/big https://localhost:%d/hello "
	    "https://localhost:%d/big", common, file("alice.crt"),
	    file("alice.key"), srv.port, srv.port, srv.port);
	rc = run(cmd, out, sizeof out);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "200 1048576 200 5 200 1048576 ");
	CU_ASSERT_EQUAL(atomic_load(&srv.accepted) - before, 1);

	/* POST 1 MiB and get it back, compared byte for byte. */
	snprintf(cmd, sizeof cmd, "%s --cert %s --key %s --data-binary @%s "
	    "-H 'Content-Type: application/octet-stream' -o %s.back -w "
	    "'%%{http_code} %%{size_upload} %%{size_download}' "
	    "https://localhost:%d/echo && cmp -s %s %s.back && echo ' same'",
	    common, file("bob.crt"), file("bob.key"), body, body, srv.port,
	    body, body);
	rc = run(cmd, out, sizeof out);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "200 1048576 1048576 same\n");

	/* HTTP/1.0: the body runs to the end of the connection. */
	snprintf(cmd, sizeof cmd, "%s --http1.0 --cert %s --key %s -o /dev/null "
	    "-w '%%{http_code} %%{size_download}' https://localhost:%d/big",
	    common, file("alice.crt"), file("alice.key"), srv.port);
	rc = run(cmd, out, sizeof out);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out, "200 1048576");

	/* No certificate, or one from a CA the server does not trust. */
	snprintf(cmd, sizeof cmd, "%s -o /dev/null https://localhost:%d/hello "
	    "2>&1", common, srv.port);
	CU_ASSERT_NOT_EQUAL(run(cmd, out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "handshake failure"));
	snprintf(cmd, sizeof cmd, "%s --cert %s --key %s -o /dev/null "
	    "https://localhost:%d/hello 2>&1", common, file("rogue.crt"),
	    file("rogue.key"), srv.port);
	CU_ASSERT_NOT_EQUAL(run(cmd, out, sizeof out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "unknown ca"));
}

/* Session tickets: openssl s_client -reconnect resumes its session. */
static void
test_tickets(void)
{
	char	cmd[1024], out[2048], *p;
	int	reused = 0, fresh = 0;

	snprintf(cmd, sizeof cmd, "openssl s_client -connect 127.0.0.1:%d "
	    "-servername localhost -CAfile %s -cert %s -key %s -reconnect "
	    "</dev/null 2>/dev/null | grep -E '^(New|Reused), |Verify return'",
	    srv.port, file("ca.crt"), file("alice.crt"), file("alice.key"));
	CU_ASSERT_EQUAL(run(cmd, out, sizeof out), 0);
	for (p = out; (p = strstr(p, "Reused, TLSv1.2,")) != NULL; p++)
		reused++;
	for (p = out; (p = strstr(p, "New, TLSv1.2,")) != NULL; p++)
		fresh++;
	CU_ASSERT_EQUAL(fresh, 1);
	CU_ASSERT_EQUAL(reused, 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Verify return code: 0 (ok)"));
}

static int
reload(const char *cert, const char *key, const char *ca, const char *crl,
    char *err, size_t errlen)
{
	struct tls_files	*f;
	int			 r;

	if ((f = tls_files_read(cert, key, ca, crl, err, errlen)) == NULL)
		return -1;
	/* Reload belongs to the server's thread: stop it meanwhile. */
	srv_stop();
	r = tls_server_reload(srv.tls, f, err, errlen);
	CU_ASSERT_EQUAL_FATAL(srv_start(), 0);
	tls_files_free(f);
	return r;
}

static void
hex32(const unsigned char h[32], char out[65])
{
	int	i;

	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* The hex SHA-256 of the certificate the server presents to a client. */
static void
served_cert(char out[65])
{
	struct tls_client	*cl = client("ca.crt", "alice", "localhost");
	struct conn		 k;
	struct reply		 r;
	unsigned char		 h[32];

	out[0] = '\0';
	if (cl == NULL)
		return;
	fetch(cl, srv.port, "/hello", &r, &k);
	if (r.code == 200 && tls_peer_sha256(k.bev, h) == 0)
		hex32(h, out);
	evbuffer_free(r.body);
	conn_close(&k);
	tls_client_free(cl);
}

/*
 * Material is read once and every context is parsed from those bytes: a
 * file that changes after the read changes no context made from it, and
 * the certificate served is the one read.
 */
static void
test_reload_read_once(void)
{
	struct tls_files	*f, *bad;
	struct tls_server	*a, *b;
	unsigned char		 h[32];
	char			 cmd[2048], out[512], err[256];
	char			 want[65], other[65], got_a[65], got_b[65];
	char			 got_f[65], seen[65];

	/* A second server certificate from the same CA, into hup.crt/.key. */
	snprintf(cmd, sizeof cmd, "cd %s && openssl genpkey -algorithm EC "
	    "-pkeyopt ec_paramgen_curve:P-256 -out server2.key 2>&1 && "
	    "openssl req -new -key server2.key -subj /CN=localhost -out "
	    "server2.csr 2>&1 && printf 'subjectAltName=DNS:localhost\\n"
	    "extendedKeyUsage=serverAuth\\n' > server2.ext && openssl x509 "
	    "-req -in server2.csr -CA ca.crt -CAkey ca.key -CAcreateserial "
	    "-sha256 -days 2 -extfile server2.ext -out server2.crt 2>&1 && "
	    "cp server.crt hup.crt && cp server.key hup.key", dir);
	CU_ASSERT_EQUAL_FATAL(run(cmd, out, sizeof out), 0);
	sha256_hex_of_cert("server.crt", want);
	sha256_hex_of_cert("server2.crt", other);
	CU_ASSERT(strcmp(want, other) != 0);

	f = tls_files_read(file("hup.crt"), file("hup.key"), file("ca.crt"),
	    NULL, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(tls_files_summary(f),
	    "certificate O=auditord development, CN=localhost, expires "));
	a = tls_server_new_files(shared, f, err, sizeof err);
	/* The files change between two workers' contexts. */
	snprintf(cmd, sizeof cmd, "cd %s && cp server2.crt hup.crt && "
	    "cp server2.key hup.key", dir);
	CU_ASSERT_EQUAL_FATAL(run(cmd, out, sizeof out), 0);
	b = tls_server_new_files(shared, f, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	tls_files_cert_sha256(f, h);
	hex32(h, got_f);
	tls_server_cert_sha256(a, h);
	hex32(h, got_a);
	tls_server_cert_sha256(b, h);
	hex32(h, got_b);
	CU_ASSERT_STRING_EQUAL(got_f, want);
	CU_ASSERT_STRING_EQUAL(got_a, want);
	CU_ASSERT_STRING_EQUAL(got_b, want);
	tls_server_free(a);
	tls_server_free(b);

	/* What a connection is served comes from the same bytes. */
	srv_stop();
	CU_ASSERT_EQUAL(tls_server_reload(srv.tls, f, err, sizeof err), 0);
	CU_ASSERT_EQUAL_FATAL(srv_start(), 0);
	tls_files_free(f);
	served_cert(seen);
	CU_ASSERT_STRING_EQUAL(seen, want);

	/* Read again: the new certificate. */
	CU_ASSERT_EQUAL(reload(file("hup.crt"), file("hup.key"),
	    file("ca.crt"), NULL, err, sizeof err), 0);
	served_cert(seen);
	CU_ASSERT_STRING_EQUAL(seen, other);

	/* A broken file or a key of another certificate is refused whole. */
	snprintf(cmd, sizeof cmd, "cd %s && head -c 200 server.crt > hup.crt",
	    dir);
	CU_ASSERT_EQUAL_FATAL(run(cmd, out, sizeof out), 0);
	bad = tls_files_read(file("hup.crt"), file("hup.key"), file("ca.crt"),
	    NULL, err, sizeof err);
	CU_ASSERT_PTR_NULL(bad);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "hup.crt"));
	CU_ASSERT_EQUAL(reload(file("server.crt"), file("hup.key"),
	    file("ca.crt"), NULL, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "does not match"));
	served_cert(seen);
	CU_ASSERT_STRING_EQUAL(seen, other);

	CU_ASSERT_EQUAL(reload(file("server.crt"), file("server.key"),
	    file("ca.crt"), NULL, err, sizeof err), 0);
	served_cert(seen);
	CU_ASSERT_STRING_EQUAL(seen, want);
}

static void
test_reload(void)
{
	struct tls_client	*alice = client("ca.crt", "alice", "localhost");
	struct tls_client	*rogue = client("ca.crt", "rogue", "localhost");
	struct conn		 open, k;
	struct reply		 r;
	char			 err[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(alice);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rogue);
	CU_ASSERT_FATAL(conn_open(&open, alice, srv.port) == 0);
	conn_do(&open, EVHTTP_REQ_GET, "/hello", NULL, 0, 0, &r);
	CU_ASSERT_EQUAL(r.code, 200);
	evbuffer_free(r.body);

	/* A bad file keeps the old material. */
	err[0] = '\0';
	CU_ASSERT_EQUAL(reload(file("server.crt"), file("missing.key"),
	    file("ca.crt"), NULL, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "missing.key"));
	CU_ASSERT_EQUAL(reload(file("server.crt"), file("alice.key"),
	    file("ca.crt"), NULL, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "does not match"));
	fetch(alice, srv.port, "/hello", &r, &k);
	CU_ASSERT_EQUAL(r.code, 200);
	evbuffer_free(r.body);
	conn_close(&k);

	/* Trust the rogue CA: new connections follow, open ones keep theirs. */
	CU_ASSERT_EQUAL(reload(file("server.crt"), file("server.key"),
	    file("rogue-ca.crt"), NULL, err, sizeof err), 0);
	conn_do(&open, EVHTTP_REQ_GET, "/hello", NULL, 0, 0, &r);
	CU_ASSERT_EQUAL(r.code, 200);
	evbuffer_free(r.body);
	fetch(alice, srv.port, "/hello", &r, &k);
	CU_ASSERT_EQUAL(r.code, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.tlserr, "unknown_ca"));
	evbuffer_free(r.body);
	conn_close(&k);
	fetch(rogue, srv.port, "/hello", &r, &k);
	CU_ASSERT_EQUAL(r.code, 200);
	evbuffer_free(r.body);
	conn_close(&k);

	CU_ASSERT_EQUAL(reload(file("server.crt"), file("server.key"),
	    file("ca.crt"), NULL, err, sizeof err), 0);
	fetch(alice, srv.port, "/hello", &r, &k);
	CU_ASSERT_EQUAL(r.code, 200);
	evbuffer_free(r.body);
	conn_close(&k);
	conn_close(&open);
	tls_client_free(alice);
	tls_client_free(rogue);
}

/*
 * A CRL revokes bob: a full handshake fails in mbedTLS, and a session bob
 * resumes from a ticket issued before the CRL fails our own check.
 */
static void
test_crl(void)
{
	struct raw		w;
	mbedtls_ssl_session	sess;
	char			cmd[1024], out[512], err[256];
	int			r;

	mbedtls_ssl_session_init(&sess);
	CU_ASSERT_EQUAL_FATAL(raw_open(&w, srv.port, "bob",
	    MBEDTLS_SSL_MINOR_VERSION_3, NULL), 0);
	CU_ASSERT_EQUAL(mbedtls_ssl_get_session(&w.ssl, &sess), 0);
	mbedtls_ssl_close_notify(&w.ssl);
	raw_close(&w);

	snprintf(cmd, sizeof cmd, "cd %s && touch index.txt && echo 1000 > "
	    "crlnumber && printf '[ca]\\ndefault_ca=d\\n[d]\\ndatabase="
	    "index.txt\\ncrlnumber=crlnumber\\ndefault_md=sha256\\n"
	    "default_crl_days=30\\n' > ca.cnf && openssl ca -config ca.cnf "
	    "-keyfile ca.key -cert ca.crt -revoke bob.crt 2>&1 && openssl ca "
	    "-config ca.cnf -keyfile ca.key -cert ca.crt -gencrl -out ca.crl "
	    "2>&1", dir);
	CU_ASSERT_EQUAL_FATAL(run(cmd, out, sizeof out), 0);
	CU_ASSERT_EQUAL_FATAL(reload(file("server.crt"), file("server.key"),
	    file("ca.crt"), file("ca.crl"), err, sizeof err), 0);

	CU_ASSERT_EQUAL(raw_open(&w, srv.port, "bob",
	    MBEDTLS_SSL_MINOR_VERSION_3, NULL),
	    MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);
	CU_ASSERT_EQUAL(raw_alert(&w), MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED);
	raw_close(&w);
	r = raw_open(&w, srv.port, "bob", MBEDTLS_SSL_MINOR_VERSION_3, &sess);
	if (r == 0) {
		/* Resumed: our check answers with an alert on first read. */
		struct evbuffer	*got = evbuffer_new();
		CU_ASSERT_EQUAL(raw_exchange(&w, "GET /hello HTTP/1.1\r\n"
		    "Host: x\r\n\r\n", got, 0), -1);
		CU_ASSERT_EQUAL(evbuffer_get_length(got), 0);
		evbuffer_free(got);
	} else {
		CU_ASSERT_EQUAL(r, MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);
	}
	CU_ASSERT_EQUAL(raw_alert(&w), MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED);
	raw_close(&w);
	CU_ASSERT_EQUAL(raw_open(&w, srv.port, "alice",
	    MBEDTLS_SSL_MINOR_VERSION_3, NULL), 0);
	raw_close(&w);
	mbedtls_ssl_session_free(&sess);
	CU_ASSERT_EQUAL(reload(file("server.crt"), file("server.key"),
	    file("ca.crt"), NULL, err, sizeof err), 0);
}

/*
 * New ticket keys (tls_shared_tickets) end every session issued before:
 * it resumes until the rotation and makes a full handshake after it. A
 * resumed session keeps the client's copy of its start time, a full
 * handshake sets a new one: the marker 1 tells which it was.
 */
static void
test_ticket_rotation(void)
{
	struct raw		w;
	mbedtls_ssl_session	sess, got;
	char			err[256];

	mbedtls_ssl_session_init(&sess);
	mbedtls_ssl_session_init(&got);
	CU_ASSERT_EQUAL_FATAL(raw_open(&w, srv.port, "alice",
	    MBEDTLS_SSL_MINOR_VERSION_3, NULL), 0);
	CU_ASSERT_EQUAL(mbedtls_ssl_get_session(&w.ssl, &sess), 0);
	mbedtls_ssl_close_notify(&w.ssl);
	raw_close(&w);
	sess.start = 1;

	CU_ASSERT_EQUAL(raw_open(&w, srv.port, "alice",
	    MBEDTLS_SSL_MINOR_VERSION_3, &sess), 0);
	CU_ASSERT_EQUAL(mbedtls_ssl_get_session(&w.ssl, &got), 0);
	CU_ASSERT_EQUAL(got.start, 1);		/* resumed */
	mbedtls_ssl_session_free(&got);
	mbedtls_ssl_close_notify(&w.ssl);
	raw_close(&w);

	CU_ASSERT_EQUAL(tls_shared_tickets(shared, 600, err, sizeof err), 0);
	CU_ASSERT_EQUAL(tls_shared_tickets(shared, 0, err, sizeof err), -1);
	mbedtls_ssl_session_init(&got);
	CU_ASSERT_EQUAL(raw_open(&w, srv.port, "alice",
	    MBEDTLS_SSL_MINOR_VERSION_3, &sess), 0);
	CU_ASSERT_EQUAL(mbedtls_ssl_get_session(&w.ssl, &got), 0);
	CU_ASSERT_NOT_EQUAL(got.start, 1);	/* a full handshake */
	mbedtls_ssl_session_free(&got);
	mbedtls_ssl_close_notify(&w.ssl);
	raw_close(&w);
	mbedtls_ssl_session_free(&sess);
}

/*
 * With the client certificate optional (bearer tokens on), a handshake
 * without one passes and has no peer digest; one that is presented is
 * still verified: a rogue CA's and a revoked one are refused.
 */
static void
test_client_optional(void)
{
	struct raw		 w;
	struct evbuffer		*got;
	char			 err[256];

	tls_shared_client_optional(shared, 1);
	CU_ASSERT_EQUAL_FATAL(reload(file("server.crt"), file("server.key"),
	    file("ca.crt"), file("ca.crl"), err, sizeof err), 0);
	CU_ASSERT_EQUAL(raw_open(&w, srv.port, NULL,
	    MBEDTLS_SSL_MINOR_VERSION_3, NULL), 0);
	got = evbuffer_new();
	CU_ASSERT_EQUAL(raw_exchange(&w, "GET /hello HTTP/1.1\r\n"
	    "Host: x\r\nConnection: close\r\n\r\n", got, 0), 1);
	evbuffer_add(got, "", 1);
	CU_ASSERT_PTR_NOT_NULL(strstr((char *)evbuffer_pullup(got, -1),
	    "X-Peer-SHA256: none"));
	evbuffer_free(got);
	raw_close(&w);
	CU_ASSERT_EQUAL(raw_open(&w, srv.port, "rogue",
	    MBEDTLS_SSL_MINOR_VERSION_3, NULL),
	    MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);
	raw_close(&w);
	/* test_crl revoked bob in ca.crl. */
	CU_ASSERT_EQUAL(raw_open(&w, srv.port, "bob",
	    MBEDTLS_SSL_MINOR_VERSION_3, NULL),
	    MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE);
	CU_ASSERT_EQUAL(raw_alert(&w), MBEDTLS_SSL_ALERT_MSG_ACCESS_DENIED);
	raw_close(&w);
	CU_ASSERT_EQUAL(raw_open(&w, srv.port, "alice",
	    MBEDTLS_SSL_MINOR_VERSION_3, NULL), 0);
	raw_close(&w);
	tls_shared_client_optional(shared, 0);
	CU_ASSERT_EQUAL(reload(file("server.crt"), file("server.key"),
	    file("ca.crt"), NULL, err, sizeof err), 0);
}

/* The CRL's next update and the digest of what we trust, for the log. */
static void
test_crl_next_update(void)
{
	struct tls_files	*a, *b;
	unsigned char		 ha[32], hb[32];
	time_t			 when, now = time(NULL);
	char			 err[256];

	a = tls_files_read(NULL, NULL, file("ca.crt"), NULL, err, sizeof err);
	b = tls_files_read(NULL, NULL, file("ca.crt"), file("ca.crl"), err,
	    sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(tls_files_crl_next_update(a, &when), -1);
	CU_ASSERT_EQUAL(tls_files_crl_next_update(b, &when), 0);
	/* test_crl's CRL: default_crl_days=30. */
	CU_ASSERT(when > now + 29 * 86400 && when <= now + 30 * 86400 + 60);
	tls_files_trust_sha256(a, ha);
	tls_files_trust_sha256(b, hb);
	CU_ASSERT_NOT_EQUAL(memcmp(ha, hb, 32), 0);
	tls_files_free(b);
	b = tls_files_read(NULL, NULL, file("ca.crt"), NULL, err, sizeof err);
	tls_files_trust_sha256(b, hb);
	CU_ASSERT_EQUAL(memcmp(ha, hb, 32), 0);
	tls_files_free(a);
	tls_files_free(b);
}

/* --- out of memory in the accept path ------------------------------ */

static struct {
	struct tls_server	*tls;
	int			 made, freed, refused, plain, no_reserve;
} oom;

static void
oom_freed(void *arg)
{
	(void)arg;
	oom.freed++;
}

/* What auditord's worker does: count, make, keep the reserve. */
static struct bufferevent *
oom_bevcb(struct event_base *base, void *arg)
{
	struct bufferevent	*bev;
	int			 r;

	(void)arg;
	oom.made++;
	if ((bev = tls_server_bev(oom.tls, base, 2000, oom_freed, NULL)) ==
	    NULL) {
		oom.plain++;
		oom.freed++;	/* evhttp's own bufferevent: not ours */
		return NULL;
	}
	if ((r = tls_server_reserve(oom.tls, base)) == 1)
		oom.refused++;
	else if (r == -1)
		oom.no_reserve++;
	return bev;
}

/*
 * One plaintext request on a new connection with the fail_at-th calloc of
 * the server's thread failing. Returns 1 if that calloc was reached. *bad
 * is set if the server answered in plaintext.
 */
static int
oom_round(struct event_base *base, int port, long fail_at, int *bad)
{
	static const char	 req[] = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	char			 buf[512];
	ssize_t			 n;
	int			 fd, i, fired, first = 1;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    write(fd, req, sizeof req - 1) != (ssize_t)sizeof req - 1) {
		*bad = 1;
		return 0;
	}
	calloc_failed = 0;
	calloc_fail_in = fail_at;
	for (i = 0; i < 400; i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 5) != 1)
			continue;
		if ((n = read(fd, buf, sizeof buf)) <= 0)
			break;
		/* A TLS record starts 0x15 or 0x16; plaintext with "HTTP". */
		if (first && buf[0] == 'H')
			*bad = 1;
		first = 0;
	}
	calloc_fail_in = 0;
	fired = calloc_failed;
	close(fd);
	for (i = 0; i < 400 && oom.freed != oom.made; i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		usleep(5000);
	}
	return fired;
}

/*
 * Every allocation of the accept path failing in turn: each connection is
 * refused over TLS or closed, never answered in plaintext, and every one
 * is freed (on_free ran: the cap would be uncounted).
 */
static void
test_oom_accept(void)
{
	struct event_base		*base;
	struct evhttp			*http;
	struct evhttp_bound_socket	*bs;
	struct sockaddr_in		 sin;
	socklen_t			 sl = sizeof sin;
	char				 err[256];
	long				 k;
	int				 bad = 0, port, warned;

	if (slow) {
		printf("\n    skipped under valgrind (its calloc wins)\n");
		return;
	}
	memset(&oom, 0, sizeof oom);
	warned = atomic_load(&ev_warnings);
	oom.tls = tls_server_new(shared, file("server.crt"),
	    file("server.key"), file("ca.crt"), NULL, err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(oom.tls);
	CU_ASSERT_FATAL((base = event_base_new()) != NULL);
	CU_ASSERT_FATAL((http = evhttp_new(base)) != NULL);
	evhttp_set_bevcb(http, oom_bevcb, NULL);
	evhttp_set_gencb(http, srv_handle, NULL);
	bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
	CU_ASSERT_FATAL(bs != NULL && getsockname(evhttp_bound_socket_get_fd(
	    bs), (struct sockaddr *)&sin, &sl) == 0);
	port = ntohs(sin.sin_port);
	for (k = 1; k < 200; k++) {
		CU_ASSERT_FATAL(tls_server_reserve(oom.tls, base) >= 0);
		if (!oom_round(base, port, k, &bad))
			break;
	}
	printf("\n    %ld allocation points: %d connections, %d refused "
	    "from the reserve, %d freed\n", k - 1, oom.made, oom.refused,
	    oom.freed);
	CU_ASSERT(k > 3 && k < 200);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(oom.plain, 0);
	CU_ASSERT(oom.refused > 0);
	CU_ASSERT_EQUAL(oom.freed, oom.made);
	evhttp_free(http);
	tls_server_free(oom.tls);
	for (k = 0; k < 8; k++)
		event_base_loop(base, EVLOOP_NONBLOCK);
	event_base_free(base);
	/* libevent warns of the failures injected here: expected. */
	atomic_store(&ev_warnings, warned);
}

/* Numbers for the report; asserted only to have worked. */
static void
test_measure(void)
{
	struct raw		w;
	mbedtls_ssl_session	sess;
	double			t;
	int			i, n = slow ? 2 : 40, ok = 0;

	mbedtls_ssl_session_init(&sess);
	t = now_ms();
	for (i = 0; i < n; i++) {
		if (raw_open(&w, srv.port, "alice", MBEDTLS_SSL_MINOR_VERSION_3,
		    NULL) == 0) {
			ok++;
			if (i == 0)
				mbedtls_ssl_get_session(&w.ssl, &sess);
			mbedtls_ssl_close_notify(&w.ssl);
		}
		raw_close(&w);
	}
	t = now_ms() - t;
	CU_ASSERT_EQUAL(ok, n);
	printf("\n    full handshakes (client cert, both ends in this "
	    "process): %.0f/s", n * 1e3 / t);
	ok = 0;
	t = now_ms();
	for (i = 0; i < n; i++) {
		if (raw_open(&w, srv.port, "alice", MBEDTLS_SSL_MINOR_VERSION_3,
		    &sess) == 0) {
			ok++;
			mbedtls_ssl_close_notify(&w.ssl);
		}
		raw_close(&w);
	}
	t = now_ms() - t;
	CU_ASSERT_EQUAL(ok, n);
	printf("; resumed (ticket): %.0f/s\n", n * 1e3 / t);
	mbedtls_ssl_session_free(&sess);
}

/* Every connection was freed through on_free, and libevent never warned. */
static void
test_all_freed(void)
{
	double	t0 = now_ms();

	while (atomic_load(&srv.freed) != atomic_load(&srv.accepted) &&
	    now_ms() - t0 < (slow ? 20000 : 3000))
		usleep(10000);
	CU_ASSERT_EQUAL(atomic_load(&srv.freed), atomic_load(&srv.accepted));
	CU_ASSERT(atomic_load(&srv.accepted) > 30);
	CU_ASSERT_EQUAL(atomic_load(&ev_warnings), 0);
}

/* --- suite ---------------------------------------------------------- */

static const char *
mkcerts_path(void)
{
	static char	p[PATH_MAX];
	char		*s;

	if (access("certs/mkcerts.sh", R_OK) == 0)
		return "certs/mkcerts.sh";
	snprintf(p, sizeof p, "%s", __FILE__);
	if ((s = strstr(p, "tests/unit/")) != NULL) {
		snprintf(s, sizeof p - (size_t)(s - p), "certs/mkcerts.sh");
		return p;
	}
	return "certs/mkcerts.sh";
}

static int
suite_init(void)
{
	char	cmd[PATH_MAX * 2], err[256];
	size_t	i;

	snprintf(dir, sizeof dir, "/tmp/test_tls.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(cmd, sizeof cmd, "sh %s %s >/dev/null 2>&1", mkcerts_path(),
	    dir);
	if (system(cmd) != 0)
		return -1;
	if ((big = malloc(BIG)) == NULL)
		return -1;
	for (i = 0; i < BIG; i++)
		big[i] = (unsigned char)(i * 7 + (i >> 12));
	mbedtls_entropy_init(&t_entropy);
	mbedtls_ctr_drbg_init(&t_drbg);
	if (mbedtls_ctr_drbg_seed(&t_drbg, mbedtls_entropy_func, &t_entropy,
	    NULL, 0) != 0)
		return -1;
	if ((shared = tls_shared_new(err, sizeof err)) == NULL ||
	    (srv.tls = tls_server_new(shared, file("server.crt"),
	    file("server.key"), file("ca.crt"), NULL, err, sizeof err)) ==
	    NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if ((srv.base = event_base_new()) == NULL ||
	    srv_listen(&srv.http, &long_ms, &srv.port, 0) == -1 ||
	    srv_listen(&srv.http_short, &short_ms, &srv.port_short, 0) == -1 ||
	    srv_listen(&srv.http_small, &long_ms, &srv.port_small, 4096) == -1 ||
	    pipe(srv.pipefd) == -1 ||
	    (srv.wake = event_new(srv.base, srv.pipefd[0], EV_READ | EV_PERSIST,
	    srv_wake, NULL)) == NULL || event_add(srv.wake, NULL) == -1)
		return -1;
	return srv_start();
}

static int
suite_clean(void)
{
	char	cmd[PATH_MAX];
	int	i;

	srv_stop();
	evhttp_free(srv.http);
	evhttp_free(srv.http_short);
	evhttp_free(srv.http_small);
	event_free(srv.wake);
	for (i = 0; i < 4; i++)
		event_base_loop(srv.base, EVLOOP_NONBLOCK);
	event_base_free(srv.base);
	close(srv.pipefd[0]);
	close(srv.pipefd[1]);
	tls_server_free(srv.tls);
	tls_shared_free(shared);
	mbedtls_ctr_drbg_free(&t_drbg);
	mbedtls_entropy_free(&t_entropy);
	free(big);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	static const struct {
		const char	*name;
		void		(*fn)(void);
	} cases[] = {
		{ "handshake and GET", test_get },
		{ "1 MiB each way", test_big_both_ways },
		{ "keep-alive", test_keepalive },
		{ "Connection: close response whole, then reconnect",
		    test_close_response },
		{ "close_notify after the final response", test_close_notify },
		{ "client without certificate rejected", test_no_client_cert },
		{ "rogue-CA client certificate rejected",
		    test_rogue_client_cert },
		{ "TLS 1.1 client rejected", test_tls11_rejected },
		{ "tls_peer_sha256", test_peer_sha256 },
		{ "server certificate and name checked", test_server_checked },
		{ "refused connection is no TLS error", test_refused },
		{ "handshake deadline", test_handshake_deadline },
		{ "total deadline (tls_bev_deadline)", test_total_deadline },
		{ "client bufferevent without evhttp", test_client_direct },
		{ "curl as a peer", test_curl },
		{ "session tickets (openssl s_client)", test_tickets },
		{ "reload", test_reload },
		{ "reload: read once, every context from those bytes",
		    test_reload_read_once },
		{ "CRL, also for resumed sessions", test_crl },
		{ "new ticket keys end earlier sessions", test_ticket_rotation },
		{ "client certificate optional, still verified",
		    test_client_optional },
		{ "CRL next update, trust digest", test_crl_next_update },
		{ "out of memory while accepting: refused, never plaintext",
		    test_oom_accept },
		{ "measurements", test_measure },
		{ "every connection freed, no libevent warnings",
		    test_all_freed },
	};
	CU_pSuite	s;
	const char	*pre = getenv("LD_PRELOAD");
	size_t		i;
	int		failed;

	signal(SIGPIPE, SIG_IGN);
	{
		/* backtrace() loads its unwinder once: not inside calloc. */
		void *pc[2];
		backtrace(pc, 2);
	}
	log_init("test_tls", 0);
	event_set_log_callback(ev_log);
	slow = pre != NULL && strstr(pre, "vgpreload") != NULL;
	if (slow)		/* a handshake alone takes ~0.5 s under valgrind */
		short_ms = 3000;
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	if ((s = CU_add_suite("tls", suite_init, suite_clean)) == NULL)
		goto fail;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (CU_add_test(s, cases[i].name, cases[i].fn) == NULL)
			goto fail;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = (int)(CU_get_number_of_failures() +
	    CU_get_number_of_suites_failed());
	CU_cleanup_registry();
	return failed != 0;
fail:
	CU_cleanup_registry();
	return 1;
}
