/*
 * access.c: the access log's line (access.h). Written by hand into the
 * caller's buffer: it runs once per request, and the query's values must be
 * dropped on the way anyway.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server/access.h"

struct out {
	char	*p;
	size_t	 len, n;
};

static void
put(struct out *o, const char *s, size_t n)
{
	size_t	room = o->n + 1 < o->len ? o->len - o->n - 1 : 0;

	memcpy(o->p + o->n, s, n < room ? n : room);
	o->n += n < room ? n : room;
}

static void
puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/*
 * The target with each query value dropped and odd bytes escaped; query 1
 * when t is a query already.
 */
static void
target(struct out *o, const char *t, int query)
{
	static const char	hexd[] = "0123456789ABCDEF";
	char			esc[3];
	int			value = 0;

	for (; *t != '\0'; t++) {
		unsigned char	c = (unsigned char)*t;

		if (c == '?' && !query) {
			query = 1;
		} else if (query && c == '&') {
			value = 0;
		} else if (query && c == '=') {
			value = 1;
			continue;
		} else if (value)
			continue;
		if (c <= ' ' || c >= 0x7f || c == '"') {
			esc[0] = '%';
			esc[1] = hexd[c >> 4];
			esc[2] = hexd[c & 15];
			put(o, esc, 3);
		} else
			put(o, (const char *)&c, 1);
	}
}

size_t
access_format(char *buf, size_t len, const struct access_rec *a)
{
	struct out	o = { buf, len, 0 };
	struct tm	tm;
	time_t		secs = (time_t)(a->wall_ms / 1000);
	char		tmp[64];
	int		n;

	if (len == 0)
		return 0;
	gmtime_r(&secs, &tm);
	n = snprintf(tmp, sizeof tmp, "access %04d-%02d-%02dT%02d:%02d:%02d."
	    "%03dZ ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(a->wall_ms % 1000));
	put(&o, tmp, (size_t)n);
	puts_(&o, a->addr != NULL ? a->addr : "-");
	n = snprintf(tmp, sizeof tmp, ":%u ", a->port);
	put(&o, tmp, (size_t)n);
	puts_(&o, a->who != NULL && a->who[0] != '\0' ? a->who : "-");
	put(&o, " ", 1);
	puts_(&o, a->method != NULL ? a->method : "-");
	put(&o, " ", 1);
	if (a->target == NULL || a->target[0] == '\0')
		puts_(&o, "-");
	else
		target(&o, a->target, 0);
	if (a->target != NULL && a->query != NULL) {
		put(&o, "?", 1);
		target(&o, a->query, 1);
	}
	n = snprintf(tmp, sizeof tmp, " %d %llu %lluus %s", a->status,
	    (unsigned long long)a->bytes, (unsigned long long)a->us,
	    a->resumed ? "resumed" : "full");
	put(&o, tmp, (size_t)n);
	buf[o.n] = '\0';
	return o.n;
}
