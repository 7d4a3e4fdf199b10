/*
 * codec.h: the fixed binary form of the derived rows (rows.c, assign.c),
 * shared by their encoders and decoders. A value is a sequence of fields:
 * a byte for an enum or a count, 10 bytes for a date (10 zero bytes for
 * none), and a length byte then the bytes for a string. The encoder marks
 * itself bad instead of writing past max; the decoder checks every length
 * against what is left and marks itself bad instead of reading past the
 * end, so a damaged row is skipped, never half read.
 */
#ifndef CODEC_H
#define CODEC_H

#include <stddef.h>

#include "util.h"

struct codec_enc {
	unsigned char	*p;
	size_t		 n, max;
	int		 bad;
};

struct codec_dec {
	const unsigned char	*p;
	size_t			 n;
	int			 bad;
};

void	codec_put_bytes(struct codec_enc *, const void *b, size_t n);
void	codec_put_byte(struct codec_enc *, int v);
/* A date field: 10 bytes, zeros for none (also for a non-date). */
void	codec_put_date(struct codec_enc *, const char *d);
/* A string of at most 255 bytes (longer marks the encoder bad). */
void	codec_put_text(struct codec_enc *, const char *s);

int	codec_get_byte(struct codec_dec *);
void	codec_get_date(struct codec_dec *, char out[UTIL_DATE_LEN]);
/* Into out (max bytes with its NUL); too long marks the decoder bad. */
void	codec_get_text(struct codec_dec *, char *out, size_t max);

/* The index of s in names (n of them), or -1; names[i] or "unknown". */
int		 codec_index(const char *const *names, size_t n, const char *s);
const char	*codec_name(const char *const *names, size_t n, int i);

#endif
