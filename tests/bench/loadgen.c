/*
 * loadgen.c: the load generator of `make bench`. HTTP/1.1 over TLS 1.2 with a
 * client certificate (neither wrk nor ab can present one), through
 * common/tls.c's client under evhttp, so one client drives every server.
 * Targets 127.0.0.1 only; every run is bounded in time and in requests.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "tls.h"

#define LG_HOST		"127.0.0.1"	/* the only target there is */
#define LG_MAX_CONNS	1024
#define LG_MAX_THREADS	8
#define LG_MAX_SECONDS	60		/* warm-up + run, and -n runs too */
#define LG_MAX_REQUESTS	10000000L
#define LG_MAX_BODY	(1024 * 1024)
#define LG_MAX_PIDS	16
#define LG_GRACE_MS	3000		/* in-flight requests after the run */
#define LG_RETRY_MS	20		/* pause a connection after an error */
#define LG_TIMEOUT_S	10		/* evhttp: connect + request + answer */

/*
 * Latency histogram in microseconds: exact below 128 us, then 128
 * sub-buckets per power of two (under 1% error) up to 2^26 us (67 s).
 */
#define HIST_SUB	128
#define HIST_BUCKETS	((26 - 6) * HIST_SUB)

struct opts {
	const char		*path;
	const char		*method_name;
	enum evhttp_cmd_type	 method;
	int			 port;
	int			 conns;
	int			 threads;
	double			 seconds;
	double			 warmup;
	long			 count;		/* 0: run for seconds */
	int			 newconn;	/* one connection per request */
	int			 expect;	/* status that counts as success */
	const char		*body_file;
	char			*body;
	size_t			 bodylen;
	const char		*ctype;
	const char		*ca;
	const char		*cert;
	const char		*key;
	const char		*servername;
	const char		*label;
	pid_t			 pids[LG_MAX_PIDS];
	int			 npids;
};

struct lthread;

struct lconn {
	struct lthread			*t;
	struct bufferevent		*bev;	/* evhttp frees it */
	struct evhttp_connection	*evcon;
	struct event			*next;	/* the next request, deferred */
	uint64_t			 sent;	/* ns; 0 when idle */
	int				 done;
};

struct lthread {
	pthread_t		 thread;
	struct event_base	*base;
	struct tls_client	*tls;
	struct lconn		*conns;
	int			 nconns;
	int			 running;	/* connections not done */
	struct event		*bound;		/* run end + grace */
	uint64_t		 ok;
	uint64_t		 err_conn;
	uint64_t		 err_status;
	uint64_t		 stalled;	/* sent in the run, never answered */
	uint64_t		 bytes;
	uint64_t		 last_ns;	/* last counted answer */
	uint64_t		 hist[HIST_BUCKETS];
	char			 firsterr[256];
};

static struct opts	 o;
static struct tls_shared *shared;
static uint64_t		 t_start, t_end;	/* the measured window, ns */
static atomic_long	 to_send;		/* -n: requests left to send */

static uint64_t
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int
hist_index(uint64_t us)
{
	int	b;

	if (us < HIST_SUB)
		return (int)us;
	if (us >= (1u << 26))
		return HIST_BUCKETS - 1;
	b = 63 - __builtin_clzll(us);		/* 7..25 */
	return (b - 6) * HIST_SUB + (int)((us >> (b - 7)) & (HIST_SUB - 1));
}

/* The middle of bucket i, in microseconds. */
static double
hist_value(int i)
{
	int	b;
	double	lo, w;

	if (i < HIST_SUB)
		return i;
	b = i / HIST_SUB + 6;
	w = (double)(1u << (b - 7));
	lo = (double)(1u << b) + (i % HIST_SUB) * w;
	return lo + w / 2;
}

static double
hist_quantile(const uint64_t *h, uint64_t total, double q)
{
	uint64_t	seen = 0, want;
	int		i;

	if (total == 0)
		return 0;
	want = (uint64_t)(q * (double)total);
	if (want >= total)
		want = total - 1;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += h[i];
		if (seen > want)
			return hist_value(i);
	}
	return hist_value(HIST_BUCKETS - 1);
}

static void __attribute__((format(printf, 2, 3)))
note_error(struct lthread *t, const char *fmt, ...)
{
	va_list	ap;

	if (t->firsterr[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(t->firsterr, sizeof t->firsterr, fmt, ap);
	va_end(ap);
}

/* The connection sends nothing more; the last one ends the loop. */
static void
conn_done(struct lconn *k)
{
	if (k->done)
		return;
	k->done = 1;
	k->sent = 0;
	if (--k->t->running == 0)
		event_base_loopexit(k->t->base, NULL);
}

static void	on_reply(struct evhttp_request *, void *);

static void
conn_schedule(struct lconn *k, unsigned ms)
{
	struct timeval	tv = { ms / 1000, (ms % 1000) * 1000 };

	if (ms == 0)
		event_active(k->next, EV_TIMEOUT, 1);
	else
		evtimer_add(k->next, &tv);
}

static void
conn_send(struct lconn *k)
{
	struct lthread		*t = k->t;
	struct evhttp_request	*req;
	struct evkeyvalq	*h;

	if (now_ns() >= t_end ||
	    (o.count > 0 && atomic_fetch_sub(&to_send, 1) <= 0)) {
		conn_done(k);
		return;
	}
	if ((req = evhttp_request_new(on_reply, k)) == NULL) {
		note_error(t, "out of memory");
		conn_done(k);
		return;
	}
	h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Host", o.servername);
	evhttp_add_header(h, "Accept", "application/json");
	if (o.newconn)
		evhttp_add_header(h, "Connection", "close");
	if (o.body != NULL) {
		evhttp_add_header(h, "Content-Type", o.ctype);
		evbuffer_add(evhttp_request_get_output_buffer(req), o.body,
		    o.bodylen);
	}
	k->sent = now_ns();
	/* On failure evhttp has freed req. */
	if (evhttp_make_request(k->evcon, req, o.method, o.path) != 0) {
		if (k->sent >= t_start && k->sent <= t_end)
			t->err_conn++;
		note_error(t, "cannot make a request");
		k->sent = 0;
		conn_schedule(k, LG_RETRY_MS);
	}
}

static void
next_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_send(arg);
}

/*
 * An answer, or req == NULL (or status 0) when the connection failed. The
 * next request is deferred: evhttp is still inside its own bookkeeping.
 */
static void
on_reply(struct evhttp_request *req, void *arg)
{
	struct lconn	*k = arg;
	struct lthread	*t = k->t;
	uint64_t	 now = now_ns();
	int		 counted, code;
	const char	*why;

	/* Only requests sent in the window: not the warm-up's handshakes. */
	counted = k->sent >= t_start && now <= t_end;
	code = req != NULL ? evhttp_request_get_response_code(req) : 0;
	if (code == 0) {
		if (counted)
			t->err_conn++;
		why = tls_bev_error(k->bev);
		note_error(t, "connection failed: %s", why != NULL ? why :
		    "closed or refused (no TLS error)");
		k->sent = 0;
		conn_schedule(k, LG_RETRY_MS);
		return;
	}
	if (code != o.expect) {
		if (counted)
			t->err_status++;
		note_error(t, "unexpected status %d", code);
	} else if (counted) {
		t->ok++;
		t->bytes += evbuffer_get_length(
		    evhttp_request_get_input_buffer(req));
		t->hist[hist_index((now - k->sent) / 1000)]++;
		t->last_ns = now;
	}
	k->sent = 0;
	conn_schedule(k, 0);
}

/* The run and its grace period are over: whatever is in flight stalled. */
static void
bound_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lthread	*t = arg;
	int		 i;

	(void)fd;
	(void)what;
	for (i = 0; i < t->nconns; i++)
		if (!t->conns[i].done && t->conns[i].sent >= t_start &&
		    t->conns[i].sent <= t_end)
			t->stalled++;
	event_base_loopexit(t->base, NULL);
}

static void *
thread_main(void *arg)
{
	struct lthread	*t = arg;
	int		 i;

	for (i = 0; i < t->nconns; i++)
		conn_schedule(&t->conns[i], 0);
	event_base_dispatch(t->base);
	return NULL;
}

static void
thread_free(struct lthread *t)
{
	int	i;

	for (i = 0; i < t->nconns; i++) {
		struct lconn *k = &t->conns[i];

		if (k->next != NULL)
			event_free(k->next);
		/* Frees the bufferevent; its close callback says close_notify. */
		if (k->evcon != NULL)
			evhttp_connection_free(k->evcon);
		else if (k->bev != NULL)
			bufferevent_free(k->bev);
	}
	if (t->base != NULL)		/* let the TLS filters' finalizers run */
		for (i = 0; i < 4; i++)
			event_base_loop(t->base, EVLOOP_NONBLOCK);
	if (t->bound != NULL)
		event_free(t->bound);
	free(t->conns);
	tls_client_free(t->tls);
	if (t->base != NULL)
		event_base_free(t->base);
}

static int
thread_setup(struct lthread *t, int nconns, char *err, size_t errlen)
{
	char	msg[400];
	int	i;

	if ((t->base = event_base_new()) == NULL ||
	    (t->conns = calloc((size_t)nconns, sizeof *t->conns)) == NULL ||
	    (t->bound = evtimer_new(t->base, bound_cb, t)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* One per thread: mbedTLS's parsed keys may not be shared. */
	if ((t->tls = tls_client_new(shared, o.ca, o.cert, o.key,
	    o.servername, msg, sizeof msg)) == NULL) {
		snprintf(err, errlen, "TLS: %s", msg);
		return -1;
	}
	for (i = 0; i < nconns; i++) {
		struct lconn *k = &t->conns[i];

		k->t = t;
		t->nconns++;
		if ((k->next = evtimer_new(t->base, next_cb, k)) == NULL ||
		    (k->bev = tls_client_bev(t->tls, t->base, -1)) == NULL ||
		    (k->evcon = evhttp_connection_base_bufferevent_new(t->base,
		    NULL, k->bev, LG_HOST, (unsigned short)o.port)) == NULL) {
			snprintf(err, errlen, "cannot set up connection %d", i);
			return -1;
		}
		evhttp_connection_set_timeout(k->evcon, LG_TIMEOUT_S);
		evhttp_connection_set_closecb(k->evcon, tls_evhttp_closecb,
		    NULL);
	}
	t->running = t->nconns;
	return 0;
}

/* utime + stime of a process (all its threads), in seconds; -1 if gone. */
static double
proc_cpu(pid_t pid)
{
	char		 path[64], buf[1024], *p;
	unsigned long	 ut, st;
	size_t		 n;
	FILE		*f;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the command name, which may hold anything but ')'. */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 2,
	    "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double
servers_cpu(void)
{
	double	sum = 0, c;
	int	i;

	for (i = 0; i < o.npids; i++)
		if ((c = proc_cpu(o.pids[i])) >= 0)
			sum += c;
	return sum;
}

static double
self_cpu(void)
{
	struct rusage	ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 0;
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
sleep_until(uint64_t ns)
{
	struct timespec	ts = { (time_t)(ns / 1000000000u),
			    (long)(ns % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

static int
read_body(const char *file, char *err, size_t errlen)
{
	FILE	*f;
	size_t	 n;

	if ((f = fopen(file, "rb")) == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", file,
		    strerror(errno));
		return -1;
	}
	if ((o.body = malloc(LG_MAX_BODY + 1)) == NULL) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	n = fread(o.body, 1, LG_MAX_BODY + 1, f);
	if (ferror(f) || n > LG_MAX_BODY) {
		fclose(f);
		snprintf(err, errlen, "%s: %s", file, n > LG_MAX_BODY ?
		    "larger than 1 MiB" : "read error");
		return -1;
	}
	fclose(f);
	o.bodylen = n;
	return 0;
}

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: loadgen -p PORT --ca CA --cert CRT --key KEY [options] PATH\n"
	    "  -p PORT        the server's port on 127.0.0.1\n"
	    "  -c N           connections (1..%d, default 32)\n"
	    "  -t N           threads, each with its own event loop (1..%d, "
	    "default 1)\n"
	    "  -d SECONDS     measured run (default 5; with -w at most %d in "
	    "all)\n"
	    "  -w SECONDS     warm-up before it, not counted (default 1)\n"
	    "  -n COUNT       send COUNT requests instead (no warm-up)\n"
	    "  -N             a new TLS connection (full handshake) per "
	    "request\n"
	    "  -m METHOD      GET (default) or POST\n"
	    "  -b FILE        request body (POST); -T its type (default "
	    "application/json)\n"
	    "  -e STATUS      status that counts as success (default 200, "
	    "POST 201)\n"
	    "  -s PID,...     server processes whose CPU time to sample over "
	    "the run\n"
	    "  -S NAME        name the server certificate must have (default "
	    "localhost)\n"
	    "  -l LABEL       label for the RESULT line\n"
	    "Prints requests/s, latency p50/p90/p99/max, errors, and a RESULT "
	    "line.\n", LG_MAX_CONNS, LG_MAX_THREADS, LG_MAX_SECONDS);
	exit(status);
}

static long
num(const char *s, long lo, long hi, const char *what)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "loadgen: %s must be %ld..%ld\n", what, lo, hi);
		exit(2);
	}
	return v;
}

static double
seconds(const char *s, double lo, const char *what)
{
	char	*end;
	double	 v;

	v = strtod(s, &end);
	if (end == s || *end != '\0' || !(v >= lo && v <= LG_MAX_SECONDS)) {
		fprintf(stderr, "loadgen: %s must be %g..%d seconds\n", what,
		    lo, LG_MAX_SECONDS);
		exit(2);
	}
	return v;
}

static void
parse_pids(const char *s)
{
	char	 buf[512], *p, *save = NULL;

	snprintf(buf, sizeof buf, "%s", s);
	for (p = strtok_r(buf, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if (o.npids == LG_MAX_PIDS) {
			fprintf(stderr, "loadgen: at most %d pids\n",
			    LG_MAX_PIDS);
			exit(2);
		}
		o.pids[o.npids++] = (pid_t)num(p, 1, INT_MAX, "a pid");
	}
}

static void
parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ca", required_argument, NULL, 'A' },
		{ "cert", required_argument, NULL, 'C' },
		{ "key", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	o.conns = 32;
	o.threads = 1;
	o.seconds = 5;
	o.warmup = 1;
	o.method_name = "GET";
	o.method = EVHTTP_REQ_GET;
	o.ctype = "application/json";
	o.servername = "localhost";
	o.label = "-";
	while ((ch = getopt_long(argc, argv, "b:c:d:e:hl:m:n:Np:s:S:t:T:w:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'A': o.ca = optarg; break;
		case 'b': o.body_file = optarg; break;
		case 'C': o.cert = optarg; break;
		case 'c': o.conns = (int)num(optarg, 1, LG_MAX_CONNS,
		    "connections"); break;
		case 'd': o.seconds = seconds(optarg, 0.1, "-d"); break;
		case 'e': o.expect = (int)num(optarg, 100, 599, "status");
		    break;
		case 'h': usage(0);
		case 'K': o.key = optarg; break;
		case 'l': o.label = optarg; break;
		case 'm': o.method_name = optarg; break;
		case 'n': o.count = num(optarg, 1, LG_MAX_REQUESTS, "-n");
		    break;
		case 'N': o.newconn = 1; break;
		case 'p': o.port = (int)num(optarg, 1, 65535, "port"); break;
		case 's': parse_pids(optarg); break;
		case 'S': o.servername = optarg; break;
		case 't': o.threads = (int)num(optarg, 1, LG_MAX_THREADS,
		    "threads"); break;
		case 'T': o.ctype = optarg; break;
		case 'w': o.warmup = seconds(optarg, 0, "-w"); break;
		default: usage(2);
		}
	}
	if (optind != argc - 1 || o.port == 0 || o.ca == NULL ||
	    o.cert == NULL || o.key == NULL)
		usage(2);
	o.path = argv[optind];
	if (o.path[0] != '/' || strpbrk(o.path, " \r\n") != NULL) {
		fprintf(stderr, "loadgen: PATH must start with / and hold no "
		    "white space\n");
		exit(2);
	}
	if (strcmp(o.method_name, "GET") == 0)
		o.method = EVHTTP_REQ_GET;
	else if (strcmp(o.method_name, "POST") == 0)
		o.method = EVHTTP_REQ_POST;
	else {
		fprintf(stderr, "loadgen: method must be GET or POST\n");
		exit(2);
	}
	if (o.expect == 0)
		o.expect = o.method == EVHTTP_REQ_POST ? 201 : 200;
	if (o.count > 0)
		o.warmup = 0;
	else if (o.warmup + o.seconds > LG_MAX_SECONDS) {
		fprintf(stderr, "loadgen: warm-up and run exceed %d seconds\n",
		    LG_MAX_SECONDS);
		exit(2);
	}
	if (o.threads > o.conns)
		o.threads = o.conns;
}

static void
report(struct lthread *th, double secs, double srv_cpu, double own_cpu)
{
	static uint64_t	h[HIST_BUCKETS];
	uint64_t	ok = 0, econn = 0, estat = 0, stalled = 0, bytes = 0;
	double		rps, p50, p90, p99, pmax = 0;
	int		i, j;
	const char	*firsterr = NULL;

	for (i = 0; i < o.threads; i++) {
		ok += th[i].ok;
		econn += th[i].err_conn;
		estat += th[i].err_status;
		stalled += th[i].stalled;
		bytes += th[i].bytes;
		for (j = 0; j < HIST_BUCKETS; j++)
			h[j] += th[i].hist[j];
		if (firsterr == NULL && th[i].firsterr[0] != '\0')
			firsterr = th[i].firsterr;
	}
	for (j = HIST_BUCKETS - 1; j >= 0; j--)
		if (h[j] != 0) {
			pmax = hist_value(j);
			break;
		}
	rps = secs > 0 ? (double)ok / secs : 0;
	p50 = hist_quantile(h, ok, 0.50) / 1000;
	p90 = hist_quantile(h, ok, 0.90) / 1000;
	p99 = hist_quantile(h, ok, 0.99) / 1000;
	printf("loadgen: %s https://%s:%d%s, %d connection%s (%s), %d "
	    "thread%s, %.2f s measured\n", o.method_name, LG_HOST, o.port,
	    o.path, o.conns, o.conns == 1 ? "" : "s", o.newconn ?
	    "new TLS connection per request" : "keep-alive", o.threads,
	    o.threads == 1 ? "" : "s", secs);
	printf("  requests  %" PRIu64 " ok, %.1f/s\n", ok, rps);
	printf("  latency   p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f "
	    "ms\n", p50, p90, p99, pmax / 1000);
	printf("  errors    %" PRIu64 " (connection %" PRIu64 ", status %"
	    PRIu64 ", stalled %" PRIu64 ")%s%s\n", econn + estat + stalled,
	    econn, estat, stalled, firsterr ? "; first: " : "",
	    firsterr ? firsterr : "");
	printf("  body      %.1f bytes per answer\n",
	    ok ? (double)bytes / (double)ok : 0.0);
	printf("  cpu       loadgen %.2f s (%.1f us/request)", own_cpu,
	    ok ? own_cpu * 1e6 / (double)ok : 0.0);
	if (o.npids > 0)
		printf(", server %.2f s (%.1f us/request)", srv_cpu,
		    ok ? srv_cpu * 1e6 / (double)ok : 0.0);
	printf("\n");
	printf("RESULT label=%s rps=%.1f p50_ms=%.3f p99_ms=%.3f ok=%" PRIu64
	    " errors=%" PRIu64 " seconds=%.2f body=%.1f client_us=%.1f "
	    "server_us=%.1f\n", o.label, rps, p50, p99, ok,
	    econn + estat + stalled, secs, ok ? (double)bytes / (double)ok :
	    0.0, ok ? own_cpu * 1e6 / (double)ok : 0.0,
	    ok && o.npids > 0 ? srv_cpu * 1e6 / (double)ok : -1.0);
}

int
main(int argc, char **argv)
{
	struct lthread	*th = NULL;
	char		 err[512];
	double		 srv0, srv1, own0, own1, secs;
	uint64_t	 t0, last = 0;
	int		 i, n, started = 0, status = 1;

	parse_args(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	if (o.body_file != NULL && read_body(o.body_file, err,
	    sizeof err) == -1)
		goto out;
	if ((shared = tls_shared_new(err, sizeof err)) == NULL ||
	    (th = calloc((size_t)o.threads, sizeof *th)) == NULL) {
		if (shared != NULL)
			snprintf(err, sizeof err, "out of memory");
		goto out;
	}
	for (i = 0; i < o.threads; i++) {
		n = o.conns / o.threads + (i < o.conns % o.threads);
		if (thread_setup(&th[i], n, err, sizeof err) == -1)
			goto out;
	}
	atomic_store(&to_send, o.count);
	t0 = now_ns();
	t_start = t0 + (uint64_t)(o.warmup * 1e9);
	t_end = o.count > 0 ? t0 + (uint64_t)LG_MAX_SECONDS * 1000000000u :
	    t_start + (uint64_t)(o.seconds * 1e9);
	for (i = 0; i < o.threads; i++) {
		uint64_t	bound = t_end - now_ns() +
				    (uint64_t)LG_GRACE_MS * 1000000u;
		struct timeval	tv = { (time_t)(bound / 1000000000u),
				    (suseconds_t)(bound % 1000000000u / 1000) };

		evtimer_add(th[i].bound, &tv);
	}
	for (i = 0; i < o.threads; i++) {
		if (pthread_create(&th[i].thread, NULL, thread_main,
		    &th[i]) != 0) {
			snprintf(err, sizeof err, "cannot start a thread");
			break;
		}
		started++;
	}
	sleep_until(t_start);
	srv0 = servers_cpu();
	own0 = self_cpu();
	if (o.count == 0 && started == o.threads)
		sleep_until(t_end);
	srv1 = servers_cpu();
	own1 = self_cpu();
	for (i = 0; i < started; i++)
		pthread_join(th[i].thread, NULL);
	if (started != o.threads)
		goto out;
	if (o.count > 0) {
		/* The run ended with its last answer, not with the joins. */
		srv1 = servers_cpu();
		own1 = self_cpu();
		for (i = 0; i < o.threads; i++)
			if (th[i].last_ns > last)
				last = th[i].last_ns;
		secs = last > t_start ? (double)(last - t_start) / 1e9 : 0;
	} else
		secs = (double)(t_end - t_start) / 1e9;
	report(th, secs, srv1 - srv0, own1 - own0);
	for (i = 0; i < o.threads; i++)
		if (th[i].ok > 0)
			status = 0;
	if (status != 0)
		snprintf(err, sizeof err, "no request succeeded");
out:
	if (status != 0)
		fprintf(stderr, "loadgen: %s\n", err);
	if (th != NULL)
		for (i = 0; i < o.threads; i++)
			thread_free(&th[i]);
	free(th);
	tls_shared_free(shared);
	free(o.body);
	if (fflush(stdout) != 0 || ferror(stdout))
		status = 1;
	return status;
}
