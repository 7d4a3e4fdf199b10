/*
 * codec.c: the fixed binary form of the derived rows (see codec.h).
 */
#include <string.h>

#include "check/codec.h"

void
codec_put_bytes(struct codec_enc *e, const void *b, size_t n)
{
	if (e->bad || e->n + n > e->max) {
		e->bad = 1;
		return;
	}
	memcpy(e->p + e->n, b, n);
	e->n += n;
}

void
codec_put_byte(struct codec_enc *e, int v)
{
	unsigned char	b = (unsigned char)v;

	codec_put_bytes(e, &b, 1);
}

/* A date field: 10 bytes, zeros for none (also for a non-date). */
void
codec_put_date(struct codec_enc *e, const char *d)
{
	static const unsigned char	none[10];

	if (d != NULL && util_date_valid(d))
		codec_put_bytes(e, d, 10);
	else
		codec_put_bytes(e, none, 10);
}

void
codec_put_text(struct codec_enc *e, const char *s)
{
	size_t	n = s != NULL ? strlen(s) : 0;

	if (n > 255) {
		e->bad = 1;
		return;
	}
	codec_put_byte(e, (int)n);
	codec_put_bytes(e, s, n);
}


int
codec_get_byte(struct codec_dec *d)
{
	if (d->bad || d->n < 1) {
		d->bad = 1;
		return 0;
	}
	d->n--;
	return *d->p++;
}

void
codec_get_date(struct codec_dec *d, char out[UTIL_DATE_LEN])
{
	out[0] = '\0';
	if (d->bad || d->n < 10) {
		d->bad = 1;
		return;
	}
	if (d->p[0] != 0) {
		memcpy(out, d->p, 10);
		out[10] = '\0';
	}
	d->p += 10;
	d->n -= 10;
}

void
codec_get_text(struct codec_dec *d, char *out, size_t max)
{
	size_t	n = (size_t)codec_get_byte(d);

	out[0] = '\0';
	if (d->bad || n > d->n || n >= max) {
		d->bad = 1;
		return;
	}
	memcpy(out, d->p, n);
	out[n] = '\0';
	d->p += n;
	d->n -= n;
}

int
codec_index(const char *const *names, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *
codec_name(const char *const *names, size_t n, int i)
{
	return i >= 0 && (size_t)i < n ? names[i] : "unknown";
}
