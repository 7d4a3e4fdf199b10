/*
 * schema-int.h: the compiled form of a schema, shared by schema.c (which
 * builds it) and schema-validate.c (which walks it). Not for other modules.
 */
#ifndef SCHEMA_INT_H
#define SCHEMA_INT_H

#include <locale.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "schema/schema.h"

enum {
	TY_NULL = 1 << 0,
	TY_BOOLEAN = 1 << 1,
	TY_INTEGER = 1 << 2,
	TY_NUMBER = 1 << 3,
	TY_STRING = 1 << 4,
	TY_ARRAY = 1 << 5,
	TY_OBJECT = 1 << 6,
};

enum schema_format { FMT_NONE, FMT_DATE, FMT_DATETIME };

/* One entry of "properties" (the public struct schema_prop is its view). */
struct schema_member {
	const char		*name;	/* in the schema's copy of the document */
	struct schema_node	*node;
};

/*
 * One schema object or boolean schema. Pointers to json_t and names point
 * into struct schema's copy of the document; messages are owned.
 */
struct schema_node {
	struct schema_node	*next;		/* every node, to free them */
	int			 boolean;	/* -1: object schema; 0, 1 */
	unsigned		 types;		/* TY_* bits; 0: any type */
	char			*type_msg;
	const char		*ref_text;	/* "$ref" until resolved */
	char			*ref_at;	/* its pointer, for errors */
	struct schema_node	*ref;
	const json_t		*enumv;
	char			*enum_msg;
	const json_t		*constv;
	char			*const_msg;
	const json_t		*minimum, *maximum;
	const json_t		*xminimum, *xmaximum, *multiple;
	long long		 min_length, max_length;	/* -1: none */
	int			 has_pattern;
	regex_t			 pattern;
	char			*pattern_msg;
	enum schema_format	 format;
	const char		**required;
	size_t			 nrequired;
	struct schema_member	*props;
	size_t			 nprops;
	struct schema_node	*additional;	/* NULL: any */
	struct schema_node	*items;		/* NULL: any */
	long long		 min_items, max_items;	/* -1: none */
	int			 unique;
	const char		*description;	/* annotation; NULL: none */
	int			 read_only;	/* "readOnly": true */
};

struct schema_def {
	const char		*name;
	struct schema_node	*node;
};

struct schema {
	json_t			*doc;	/* our copy; nodes point into it */
	struct schema_node	*root;
	struct schema_node	*nodes;
	struct schema_def	*defs;
	size_t			 ndefs;
	locale_t		 utf8;	/* for patterns; 0 while none */
	/* The root's properties as schema.h shows them (choices owned). */
	struct schema_prop	*props;
	size_t			 nprops;
	/* "x-filters" and "x-defaults" at the root; NULL: absent. */
	const json_t		*xfilters, *xdefaults;
	const char		**filters;	/* NULL-ended; NULL if none */
	size_t			 nfilters;
};

/* A JSON Pointer being built, RFC 6901 escaped; buf NULL means "". */
struct schema_ptr {
	char	*buf;
	size_t	 len, cap;
	int	 oom;
};

static inline int
schema_ptr_reserve(struct schema_ptr *p, size_t more)
{
	char	*nb;
	size_t	 ncap;

	if (p->len + more + 1 <= p->cap)
		return 0;
	ncap = p->cap ? p->cap : 64;
	while (ncap < p->len + more + 1)
		ncap *= 2;
	if ((nb = realloc(p->buf, ncap)) == NULL) {
		p->oom = 1;
		return -1;
	}
	p->buf = nb;
	p->cap = ncap;
	return 0;
}

static inline void
schema_ptr_push(struct schema_ptr *p, const char *seg)
{
	const char	*c;

	if (schema_ptr_reserve(p, 2 * strlen(seg) + 1) == -1)
		return;
	p->buf[p->len++] = '/';
	for (c = seg; *c != '\0'; c++) {
		if (*c == '~' || *c == '/') {
			p->buf[p->len++] = '~';
			p->buf[p->len++] = *c == '~' ? '0' : '1';
		} else
			p->buf[p->len++] = *c;
	}
	p->buf[p->len] = '\0';
}

static inline void
schema_ptr_push_index(struct schema_ptr *p, size_t i)
{
	char	num[32];

	snprintf(num, sizeof num, "%zu", i);
	schema_ptr_push(p, num);
}

/* Back to an earlier length, as saved from p->len before a push. */
static inline void
schema_ptr_cut(struct schema_ptr *p, size_t len)
{
	if (p->buf != NULL && len <= p->len) {
		p->len = len;
		p->buf[len] = '\0';
	}
}

static inline const char *
schema_ptr_str(const struct schema_ptr *p)
{
	return p->buf != NULL ? p->buf : "";
}

/* What schema_compile carries while it works (schema.c). */
struct cctx {
	struct schema		*s;
	struct schema_ptr	 at;	/* where in the schema we are */
	char			*err;
	size_t			 errlen;
};

/* "schema error at POINTER: message" into c->err. */
void	schema_cerr(struct cctx *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * schema-props.c: build the root's property view, then check x-filters
 * and x-defaults against it. 0, or -1 after schema_cerr.
 */
int	schema_props_build(struct cctx *);
int	schema_props_check(struct cctx *);

#endif
