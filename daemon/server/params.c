/*
 * params.c: what a request carries besides its path: query parameters,
 * paging, If-Match and the JSON body, each checked and answered with a
 * problem+json when it is malformed. See http.h.
 */
#include <sys/queue.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "server/http.h"

static const struct {
	enum evhttp_cmd_type	 method;
	const char		*name;
} methods[] = {
	{ EVHTTP_REQ_GET, "GET" },
	{ EVHTTP_REQ_HEAD, "HEAD" },
	{ EVHTTP_REQ_POST, "POST" },
	{ EVHTTP_REQ_PUT, "PUT" },
	{ EVHTTP_REQ_PATCH, "PATCH" },
	{ EVHTTP_REQ_DELETE, "DELETE" },
	{ EVHTTP_REQ_OPTIONS, "OPTIONS" },
	{ EVHTTP_REQ_TRACE, "TRACE" },
	{ EVHTTP_REQ_CONNECT, "CONNECT" },
};

const char *
http_method_name(enum evhttp_cmd_type m)
{
	size_t	i;

	for (i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (methods[i].method == m)
			return methods[i].name;
	return NULL;
}

const char *
http_header(struct req *r, const char *name)
{
	/* evhttp compares header names without regard to case. */
	return evhttp_find_header(evhttp_request_get_input_headers(r->ev),
	    name);
}

const char *
http_query(struct req *r, const char *key)
{
	return evhttp_find_header(&r->query, key);
}

int
http_query_check(struct req *r, const char *const *allowed)
{
	struct evkeyval	*kv;
	size_t		 i;

	TAILQ_FOREACH(kv, &r->query, next) {
		for (i = 0; allowed != NULL && allowed[i] != NULL; i++)
			if (strcmp(kv->key, allowed[i]) == 0)
				break;
		if (allowed == NULL || allowed[i] == NULL) {
			http_problem(r, 400, "bad-request",
			    "unknown query parameter '%.64s'", kv->key);
			return -1;
		}
	}
	return 0;
}

int
http_limit(struct req *r, size_t *limit)
{
	const char	*s = http_query(r, "limit");
	char		*end;
	long		 v;

	*limit = 100;
	if (s != NULL) {
		v = strtol(s, &end, 10);
		if (*s < '0' || *s > '9' || *end != '\0' || v < 1 || v > 1000) {
			http_problem(r, 400, "bad-request",
			    "limit must be a whole number from 1 to 1000");
			return -1;
		}
		*limit = (size_t)v;
	}
	return 0;
}

int
http_page(struct req *r, size_t *limit, const char **after)
{
	if (http_limit(r, limit) != 0)
		return -1;
	*after = http_query(r, "after");
	if (*after != NULL && !util_id_valid(*after)) {
		http_problem(r, 400, "bad-request", "after must be a record id");
		return -1;
	}
	return 0;
}

int64_t
http_doc_rev(const char *doc, size_t len)
{
	size_t	i;
	int	depth = 0, instr = 0;

	/* Find "rev" as a key of the outermost object, skipping strings. */
	for (i = 0; i < len; i++) {
		char c = doc[i];
		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"')
				instr = 0;
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
		else if (c == '"') {
			if (depth == 1 && len - i > 6 &&
			    memcmp(doc + i, "\"rev\":", 6) == 0)
				return strtoll(doc + i + 6, NULL, 10);
			instr = 1;
		}
	}
	return 0;
}

int
http_if_match(const struct if_match *m, int64_t rev)
{
	int	i;

	if (!m->set)
		return 1;
	for (i = 0; i < m->n; i++)
		if (m->revs[i] == rev)
			return 1;
	return 0;
}

/*
 * One entity-tag at *pp ("3", W/"3", or a bare 3): its rev into *rev and
 * whether it is weak. -1 when malformed or beyond an int64.
 */
static int
if_match_tag(const char **pp, long long *rev, int *weak)
{
	const char	*p = *pp;
	char		*end;
	int		 quoted;

	*weak = strncmp(p, "W/", 2) == 0;
	if (*weak)
		p += 2;
	quoted = *p == '"';
	if (quoted)
		p++;
	if (*p < '1' || *p > '9')
		return -1;
	errno = 0;
	*rev = strtoll(p, &end, 10);
	if (errno == ERANGE)
		return -1;
	p = end;
	if (quoted && *p++ != '"')
		return -1;
	if (*weak && !quoted)
		return -1;
	*pp = p;
	return 0;
}

int
http_if_match_parse(const char *v, struct if_match *m)
{
	const char	*p;
	long long	 n;
	int		 weak, ntags = 0, star = 0;

	memset(m, 0, sizeof *m);
	if (v == NULL)
		return 0;
	for (p = v;;) {
		p += strspn(p, " \t");
		/* "*" stands alone (RFC 9110 13.1.1), never in a list. */
		if (*p == '*') {
			star = 1;
			p++;
		} else {
			if (if_match_tag(&p, &n, &weak) != 0)
				return -1;
			if (!weak) {
				if (m->n == REQ_MAXTAGS)
					return -1;
				m->revs[m->n++] = n;
			}
			m->set = 1;
		}
		ntags++;
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		if (*p++ != ',')
			return -1;
	}
	if (star && ntags > 1)
		return -1;
	if (star)
		memset(m, 0, sizeof *m);	/* any current record will do */
	return 0;
}

int
http_parse_if_match(struct req *r)
{
	const char	*v = evhttp_find_header(
			    evhttp_request_get_input_headers(r->ev), "If-Match");

	if (http_if_match_parse(v, &r->if_match) == 0)
		return 0;
	memset(&r->if_match, 0, sizeof r->if_match);
	http_problem(r, 400, "bad-request", "If-Match must be \"*\" or a list "
	    "of up to %d record revs such as \"3\"", REQ_MAXTAGS);
	return -1;
}

int
http_parse_body(struct req *r)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(r->ev);
	size_t		 len = evbuffer_get_length(in);
	const char	*ct;
	json_error_t	 jerr;
	unsigned char	*data;

	if (r->method != EVHTTP_REQ_POST && r->method != EVHTTP_REQ_PUT &&
	    r->method != EVHTTP_REQ_PATCH) {
		if (len > 0) {
			http_problem(r, 400, "bad-request",
			    "a %s request takes no body",
			    http_method_name(r->method));
			return -1;
		}
		return 0;
	}
	if (len == 0)
		return 0;
	ct = evhttp_find_header(evhttp_request_get_input_headers(r->ev),
	    "Content-Type");
	if (ct == NULL || (strncasecmp(ct, "application/json", 16) != 0 &&
	    strncasecmp(ct, "application/merge-patch+json", 28) != 0)) {
		http_problem(r, 415, "unsupported-media-type",
		    "the body must be application/json");
		return -1;
	}
	if ((data = evbuffer_pullup(in, -1)) == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return -1;
	}
	r->body = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (r->body == NULL) {
		http_problem(r, 400, "bad-request",
		    "malformed JSON at line %d, column %d: %s", jerr.line,
		    jerr.column, jerr.text);
		return -1;
	}
	return 0;
}

int
http_body_raw(struct req *r, const char *ctype, const char **data,
    size_t *len)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(r->ev);
	const char	*ct = evhttp_find_header(
			    evhttp_request_get_input_headers(r->ev),
			    "Content-Type");
	size_t		 n = strlen(ctype);

	*data = NULL;
	*len = evbuffer_get_length(in);
	if (ct == NULL || strncasecmp(ct, ctype, n) != 0 ||
	    (ct[n] != '\0' && ct[n] != ';' && ct[n] != ' ')) {
		http_problem(r, 415, "unsupported-media-type",
		    "the body must be %s", ctype);
		return -1;
	}
	if (*len == 0)
		return 0;
	if ((*data = (const char *)evbuffer_pullup(in, -1)) == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return -1;
	}
	return 0;
}

json_t *
http_body_take(struct req *r)
{
	json_t	*b = r->body;

	r->body = NULL;
	return b;
}
