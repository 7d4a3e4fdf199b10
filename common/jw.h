/*
 * jw.h: a JSON writer for answers too large to build as a jansson tree
 * first (a report over every auditor): it appends to one growing buffer,
 * so a megabyte answer costs a few reallocations instead of a small
 * allocation per value. It writes what it is told in that order; callers
 * that want the canonical form (keys sorted, as every other answer has
 * them) write their keys sorted. Strings are escaped as jansson escapes
 * them without JSON_ENSURE_ASCII: ", \ and the control characters.
 */
#ifndef JW_H
#define JW_H

#include <stddef.h>
#include <stdint.h>

#define JW_DEPTH	16

struct jw {
	char	*p;
	size_t	 n, max;
	int	 bad;			/* memory ran out, or nesting */
	int	 depth;
	int	 first[JW_DEPTH];	/* nothing written yet at this depth */
	int	 after_key;		/* the next value follows a key */
};

/* Start with an empty buffer (jw_init) and open an object or array. */
void	jw_init(struct jw *);
void	jw_open(struct jw *, char brace);	/* '{' or '[' */
void	jw_close(struct jw *, char brace);	/* '}' or ']' */
/*
 * An object's key, a name of the program's own (it is not escaped); the
 * next call writes its value.
 */
void	jw_key(struct jw *, const char *key);
void	jw_str(struct jw *, const char *s);
/* "coll/id" as one string. */
void	jw_ref(struct jw *, const char *coll, const char *id);
void	jw_int(struct jw *, long long v);
void	jw_null(struct jw *);
void	jw_bool(struct jw *, int v);
/* Hundredths of an hour as a number: 20, 18.5, 7.25. */
void	jw_hours(struct jw *, uint64_t hundredths);

/*
 * The text written (malloc'd, NUL-terminated, the caller frees it) and
 * its length in *len; NULL when memory ran out. Empties w either way.
 */
char	*jw_take(struct jw *, size_t *len);

/* Free what w holds (for a failed answer). */
void	jw_free(struct jw *);

#endif
