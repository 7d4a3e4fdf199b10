/*
 * jw.c: the JSON writer for large answers (see jw.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "util.h"

void
jw_init(struct jw *w)
{
	memset(w, 0, sizeof *w);
}

static void
put(struct jw *w, const void *s, size_t n)
{
	char	*p;
	size_t	 max;

	if (w->bad)
		return;
	if (w->n + n + 1 > w->max) {
		max = w->max != 0 ? w->max : 4096;
		while (w->n + n + 1 > max)
			max *= 2;
		if ((p = realloc(w->p, max)) == NULL) {
			w->bad = 1;
			return;
		}
		w->p = p;
		w->max = max;
	}
	memcpy(w->p + w->n, s, n);
	w->n += n;
}

/* The comma before a value or key that is not the first of its level. */
static void
sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0 && !w->first[w->depth - 1])
		put(w, ",", 1);
	if (w->depth > 0)
		w->first[w->depth - 1] = 0;
}

void
jw_open(struct jw *w, char brace)
{
	sep(w);
	put(w, &brace, 1);
	if (w->depth == JW_DEPTH) {
		w->bad = 1;
		return;
	}
	w->first[w->depth++] = 1;
}

void
jw_close(struct jw *w, char brace)
{
	put(w, &brace, 1);
	if (w->depth > 0)
		w->depth--;
}

/* 1 for the bytes a JSON string escapes: '"', '\\' and the controls. */
static const unsigned char escapes[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1
};

static void
quoted(struct jw *w, const char *s)
{
	const unsigned char	*c = (const unsigned char *)s, *run = c;
	char			 esc[8];

	put(w, "\"", 1);
	for (;;) {
		/* Most strings escape nothing: copy runs, not bytes. */
		while (!escapes[*c])
			c++;
		if (*c == '\0')
			break;
		put(w, run, (size_t)(c - run));
		run = c + 1;
		switch (*c) {
		case '"':	put(w, "\\\"", 2); break;
		case '\\':	put(w, "\\\\", 2); break;
		case '\b':	put(w, "\\b", 2); break;
		case '\f':	put(w, "\\f", 2); break;
		case '\n':	put(w, "\\n", 2); break;
		case '\r':	put(w, "\\r", 2); break;
		case '\t':	put(w, "\\t", 2); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", *c);
			put(w, esc, 6);
			break;
		}
		c++;
	}
	put(w, run, (size_t)(c - run));
	put(w, "\"", 1);
}

void
jw_key(struct jw *w, const char *key)
{
	char	buf[64];
	size_t	n = strlen(key);

	sep(w);
	/* Keys are the program's own names: nothing to escape. */
	if (n + 3 <= sizeof buf) {
		buf[0] = '"';
		memcpy(buf + 1, key, n);
		buf[n + 1] = '"';
		buf[n + 2] = ':';
		put(w, buf, n + 3);
	} else {
		quoted(w, key);
		put(w, ":", 1);
	}
	w->after_key = 1;
}

void
jw_str(struct jw *w, const char *s)
{
	sep(w);
	quoted(w, s);
}

void
jw_ref(struct jw *w, const char *coll, const char *id)
{
	char	s[2 * ID_MAX + 2];

	snprintf(s, sizeof s, "%s/%s", coll, id);
	jw_str(w, s);
}

void
jw_int(struct jw *w, long long v)
{
	char	s[24];

	sep(w);
	put(w, s, (size_t)snprintf(s, sizeof s, "%lld", v));
}

void
jw_bool(struct jw *w, int v)
{
	sep(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void
jw_null(struct jw *w)
{
	sep(w);
	put(w, "null", 4);
}

void
jw_hours(struct jw *w, uint64_t h)
{
	char	s[UTIL_HOURS_LEN];

	sep(w);
	util_hours_str(h, s);
	put(w, s, strlen(s));
}

char *
jw_take(struct jw *w, size_t *len)
{
	char	*p = w->p;

	*len = w->n;
	if (w->bad || w->depth != 0 || p == NULL) {
		jw_free(w);
		*len = 0;
		return NULL;
	}
	p[w->n] = '\0';
	jw_init(w);
	return p;
}

void
jw_free(struct jw *w)
{
	free(w->p);
	jw_init(w);
}
