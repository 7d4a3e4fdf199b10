/*
 * request.c: what the command verbs send and how the answers come back: one
 * request per call, the answer's status mapped to auditorctl's exit codes in
 * this one place, lists followed page by page, records printed; see
 * request.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "client.h"
#include "log.h"
#include "request.h"

static int
is_json_type(const char *ct)
{
	size_t	n;

	if (ct == NULL)
		return 0;
	n = strcspn(ct, "; \t");
	return (n == 16 && strncasecmp(ct, "application/json", n) == 0) ||
	    (n > 17 && strncasecmp(ct, "application/", 12) == 0 &&
	    strncasecmp(ct + n - 5, "+json", 5) == 0);
}

const struct cmd_opt request_change_opts[] = {
	REQUEST_IF_MATCH_OPT,
	{ .name = NULL }
};

const struct cmd_opt request_list_opts[] = {
	REQUEST_LIST_OPTS("ID"),
	{ .name = NULL }
};

const char *
request_safe(const char *s, char *buf, size_t len)
{
	static const char	hexd[] = "0123456789abcdef";
	size_t			o = 0;

	for (; *s != '\0' && o + 5 < len; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f) {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hexd[c >> 4];
			buf[o++] = hexd[c & 15];
		} else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

/* "auditorctl: <title>: <detail>", then each validation error. */
static void
print_problem(const struct response *r, const json_t *p)
{
	const char	*title = json_string_value(json_object_get(p, "title"));
	const char	*detail = json_string_value(json_object_get(p,
			    "detail"));
	const char	*path, *msg;
	json_t		*errs = json_object_get(p, "errors"), *e;
	char		 buf[64], t[512], d[1024];
	size_t		 i;

	if (title == NULL) {
		snprintf(buf, sizeof buf, "HTTP %d%s%s", r->status,
		    r->reason[0] ? " " : "", r->reason);
		title = buf;
	}
	/* Server text never reaches the terminal raw: no escape sequences. */
	title = request_safe(title, t, sizeof t);
	if (detail != NULL && detail[0] != '\0')
		log_warnx("%s: %s", title, request_safe(detail, d, sizeof d));
	else
		log_warnx("%s", title);
	json_array_foreach(errs, i, e) {
		path = json_string_value(json_object_get(e, "path"));
		msg = json_string_value(json_object_get(e, "message"));
		fprintf(stderr, "  %s: %s\n", path && path[0] ?
		    request_safe(path, t, sizeof t) : "(document)",
		    msg ? request_safe(msg, d, sizeof d) : "invalid");
	}
}

/*
 * The connection (made on first use) and the full path "/v1PATH" into
 * full. 0, or the exit code after a message.
 */
static int
request_target(struct cmd_ctx *ctx, const char *path, char *full,
    size_t len)
{
	char	err[1024];

	if (ctx->client == NULL && (ctx->client = client_new(ctx->server,
	    ctx->ca, ctx->cert, ctx->key, err, sizeof err)) == NULL) {
		log_warnx("%s", err);
		return CMD_CONNECT;
	}
	if ((size_t)snprintf(full, len, "/v1%s", path) >= len) {
		log_warnx("request path too long");
		return CMD_USAGE;
	}
	return 0;
}

int
request_call(struct cmd_ctx *ctx, const char *method, const char *path,
    json_t *body, const char *if_match, json_t **answer)
{
	return request_call_problem(ctx, method, path, body, if_match, answer,
	    NULL);
}

int
request_call_problem(struct cmd_ctx *ctx, const char *method,
    const char *path, json_t *body, const char *if_match, json_t **answer,
    json_t **problem)
{
	struct response	*r = NULL;
	json_error_t	 jerr;
	json_t		*doc = NULL;
	char		 err[1024], full[4096], *text = NULL;
	int		 rc;

	*answer = NULL;
	if (problem != NULL)
		*problem = NULL;
	if ((rc = request_target(ctx, path, full, sizeof full)) != 0)
		return rc;
	if (body != NULL && (text = json_dumps(body, JSON_COMPACT)) == NULL) {
		log_warnx("out of memory");
		return CMD_USAGE;
	}
	rc = client_request(ctx->client, method, full,
	    strcmp(method, "PATCH") == 0 ? "application/merge-patch+json" :
	    "application/json", text, text ? strlen(text) : 0, if_match, &r,
	    err, sizeof err);
	free(text);
	if (rc == CLIENT_ECONNECT) {
		log_warnx("%s", err);
		return CMD_CONNECT;
	}
	if (rc != CLIENT_OK) {
		log_warnx("malformed answer from %s: %s", ctx->server, err);
		return CMD_SERVER;
	}
	if (r->bodylen > 0 && is_json_type(response_header(r, "Content-Type")))
		doc = json_loadb(r->body, r->bodylen, JSON_DECODE_ANY, &jerr);
	else
		snprintf(jerr.text, sizeof jerr.text, "not JSON");
	if (r->status >= 200 && r->status <= 299) {
		/* A refusal without a readable problem is still a refusal. */
		if (r->bodylen > 0 && doc == NULL) {
			log_warnx("malformed answer from %s: %s", ctx->server,
			    jerr.text);
			rc = CMD_SERVER;
			goto done;
		}
		*answer = doc;
		doc = NULL;
		rc = CMD_OK;
	} else if (r->status >= 400 && r->status <= 599) {
		print_problem(r, doc);
		rc = r->status < 500 ? CMD_REFUSED : CMD_SERVER;
		if (rc == CMD_REFUSED && problem != NULL &&
		    json_is_object(doc)) {
			*problem = doc;
			doc = NULL;
		}
	} else {
		char reason[256];
		log_warnx("unexpected answer from %s: HTTP %d %s", ctx->server,
		    r->status, request_safe(r->reason, reason, sizeof reason));
		rc = CMD_SERVER;
	}
 done:
	json_decref(doc);
	response_free(r);
	return rc;
}

/* A client result as an exit code, after a message when it failed. */
static int
client_result(struct cmd_ctx *ctx, int rc, const char *what, const char *err)
{
	if (rc == CLIENT_ECONNECT) {
		log_warnx("%s", err);
		return CMD_CONNECT;
	}
	if (rc != CLIENT_OK) {
		log_warnx("%s from %s: %s", what, ctx->server, err);
		return CMD_SERVER;
	}
	return CMD_OK;
}

int
request_send(struct cmd_ctx *ctx, const char *method, const char *path,
    const char *ctype, const char *body, size_t len, struct response **out)
{
	char	err[1024], full[4096];
	int	rc;

	*out = NULL;
	if ((rc = request_target(ctx, path, full, sizeof full)) != 0)
		return rc;
	rc = client_request(ctx->client, method, full, ctype, body, len, NULL,
	    out, err, sizeof err);
	return client_result(ctx, rc, "malformed answer", err);
}

int
request_download(struct cmd_ctx *ctx, const char *path,
    int (*sink)(const void *, size_t, void *), void *arg,
    struct response **out)
{
	char	err[1024], full[4096];
	int	rc;

	*out = NULL;
	if ((rc = request_target(ctx, path, full, sizeof full)) != 0)
		return rc;
	rc = client_download(ctx->client, full, sink, arg, out, err,
	    sizeof err);
	return client_result(ctx, rc, "download", err);
}

int
request_refused(struct cmd_ctx *ctx, const struct response *r)
{
	json_t	*doc = NULL;
	char	 reason[256];

	if (r->status < 400 || r->status > 599) {
		log_warnx("unexpected answer from %s: HTTP %d %s", ctx->server,
		    r->status, request_safe(r->reason, reason, sizeof reason));
		return CMD_SERVER;
	}
	if (r->bodylen > 0 && is_json_type(response_header(r, "Content-Type")))
		doc = json_loadb(r->body, r->bodylen, JSON_DECODE_ANY, NULL);
	print_problem(r, doc);
	json_decref(doc);
	return r->status < 500 ? CMD_REFUSED : CMD_SERVER;
}

static int
output_failed(void)
{
	log_warnx("cannot write the output%s%s", errno ? ": " : "",
	    errno ? strerror(errno) : "");
	return CMD_SERVER;
}

int
request_query_add(char *buf, size_t len, const char *key, const char *value)
{
	char	*enc;
	size_t	 used = strlen(buf);
	int	 n;

	if ((enc = evhttp_uriencode(value, -1, 0)) == NULL)
		return -1;
	n = snprintf(buf + used, len - used, "%s%s=%s",
	    strchr(buf, '?') ? "&" : "?", key, enc);
	free(enc);
	if (n < 0 || (size_t)n >= len - used) {
		buf[used] = '\0';
		return -1;
	}
	return 0;
}

static int
malformed_list(struct cmd_ctx *ctx)
{
	log_warnx("malformed answer from %s: not a list", ctx->server);
	return CMD_SERVER;
}

/*
 * 1 if cursor comes after prev in the server's order: ids by byte order,
 * event seqs by number. A cursor that does not move forward could make a
 * broken or hostile server keep a list going for ever.
 */
static int
cursor_advances(const char *cursor, const char *prev)
{
	size_t	lc = strlen(cursor), lp = strlen(prev);

	if (prev[0] == '\0')
		return 1;
	if (strspn(cursor, "0123456789") == lc &&
	    strspn(prev, "0123456789") == lp && lc <= 19 && lp <= 19)
		return strtoull(cursor, NULL, 10) > strtoull(prev, NULL, 10);
	return strcmp(cursor, prev) > 0;
}

/* The "next" cursor as text into buf; 0 at the end, -1 if malformed. */
static int
next_cursor(const json_t *doc, char *buf, size_t len)
{
	const json_t	*next = json_object_get(doc, "next");

	if (next == NULL || json_is_null(next))
		return 0;
	if (json_is_string(next))
		snprintf(buf, len, "%s", json_string_value(next));
	else if (json_is_integer(next))
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(next));
	else
		return -1;
	return buf[0] != '\0' ? 1 : -1;
}

/* base and, when after is not NULL, "after=AFTER" into buf. */
static int
page_path(char *buf, size_t len, const char *base, const char *after)
{
	if ((size_t)snprintf(buf, len, "%s", base) >= len)
		return -1;
	return after != NULL ? request_query_add(buf, len, "after", after) : 0;
}

/*
 * GET base (a collection with its query) from after (NULL: the start) and
 * print it. With all set, follows "next" to the end: every item goes into
 * the first page's document, which is printed as one list.
 */
static int
list_pages(struct cmd_ctx *ctx, const char *base, const char *after, int all,
    const struct output_column *cols, size_t ncols)
{
	json_t	*doc = NULL, *page = NULL, *items, *next;
	char	 cursor[256], prev[256] = "", path[2048];
	int	 rc, more;

	if (page_path(path, sizeof path, base, after) == -1) {
		log_warnx("query too long");
		return CMD_USAGE;
	}
	if ((rc = request_call(ctx, "GET", path, NULL, NULL, &doc)) != 0)
		return rc;
	if (!json_is_array(json_object_get(doc, "items"))) {
		rc = malformed_list(ctx);
		goto done;
	}
	while (all && (more = next_cursor(doc, cursor, sizeof cursor)) != 0) {
		/* A cursor that does not move forward would loop for ever. */
		if (more == -1 || !cursor_advances(cursor, prev) ||
		    page_path(path, sizeof path, base, cursor) == -1) {
			rc = malformed_list(ctx);
			goto done;
		}
		snprintf(prev, sizeof prev, "%s", cursor);
		if ((rc = request_call(ctx, "GET", path, NULL, NULL,
		    &page)) != 0)
			goto done;
		items = json_object_get(page, "items");
		/* Only the first page may be empty (docs/api.md). */
		if (!json_is_array(items) || json_array_size(items) == 0) {
			rc = malformed_list(ctx);
			goto done;
		}
		next = json_object_get(page, "next");
		if (json_array_extend(json_object_get(doc, "items"),
		    items) == -1 || json_object_set(doc, "next",
		    next != NULL ? next : json_null()) == -1) {
			log_warnx("out of memory");
			rc = CMD_SERVER;
			goto done;
		}
		json_decref(page);
		page = NULL;
	}
	errno = 0;
	if (ctx->out->list(ctx->fp, cols, ncols, doc) == -1)
		rc = output_failed();
 done:
	json_decref(page);
	json_decref(doc);
	return rc;
}

int
request_list(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const struct cmd_entry	*e = a->entry;
	const char		*key;
	json_t			*v;
	char			 path[2048], n[24];
	long			 limit = 0;
	int			 rc;

	if ((rc = cmd_arg_long(a, "limit", 1, 1000, &limit)) != 0)
		return rc;
	snprintf(path, sizeof path, "/%s", e->collection);
	snprintf(n, sizeof n, "%ld", limit);
	if (limit > 0 && request_query_add(path, sizeof path, "limit", n) == -1)
		rc = -1;
	/* The filters cmd_args_parse checked; NULL for a list without. */
	json_object_foreach(a->doc, key, v)
		if (rc == 0 && request_query_add(path, sizeof path, key,
		    json_string_value(v)) == -1)
			rc = -1;
	if (rc == -1)
		return cmd_usage_error(e, a->verb, "query too long");
	return list_pages(ctx, path, cmd_arg(a, "after"),
	    limit == 0 || cmd_arg(a, "all") != NULL, e->columns, e->ncolumns);
}

int
request_list_dated(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	const char	*from = cmd_arg(a, "from"), *to = cmd_arg(a, "to");

	/* Both are dates (check_values): as strings they sort as days. */
	if (from != NULL && to != NULL && strcmp(from, to) > 0)
		return cmd_usage_error(a->entry, a->verb, "--from %s is after "
		    "--to %s: no record can match", from, to);
	return request_list(ctx, a);
}

int
request_print(struct cmd_ctx *ctx, const json_t *doc)
{
	if (doc == NULL)
		return CMD_OK;
	errno = 0;
	if (ctx->out->show(ctx->fp, doc) == -1)
		return output_failed();
	return CMD_OK;
}

int
request_show(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char	 path[256];
	json_t	*rec = NULL;
	int	 rc;

	if ((rc = cmd_record_path(a, path, sizeof path, a->entry->collection,
	    a->argv[0], NULL)) == 0 && (rc = request_call(ctx, "GET", path,
	    NULL, NULL, &rec)) == 0)
		rc = request_print(ctx, rec);
	json_decref(rec);
	return rc;
}

int
request_change(struct cmd_ctx *ctx, const struct cmd_args *a,
    const char *method, const char *suffix, int print)
{
	char		 path[256], etag[32];
	const char	*if_match;
	json_t		*rec = NULL;
	int		 rc;

	if ((rc = cmd_record_path(a, path, sizeof path, a->entry->collection,
	    a->argv[0], suffix)) == 0 && (rc = cmd_if_match(a, etag,
	    sizeof etag, &if_match)) == 0 && (rc = request_call(ctx, method,
	    path, NULL, if_match, &rec)) == 0 && print)
		rc = request_print(ctx, rec);
	json_decref(rec);
	return rc;
}

int
request_delete(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "DELETE", NULL, 0);
}

int
request_edit(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char		 path[256], etag[32];
	const char	*if_match;
	json_t		*rec = NULL;
	int		 rc;

	/* a->doc: the merge patch cmd_args_parse made (never empty). */
	if ((rc = cmd_record_path(a, path, sizeof path, a->entry->collection,
	    a->argv[0], NULL)) == 0 && (rc = cmd_if_match(a, etag,
	    sizeof etag, &if_match)) == 0 && (rc = request_call(ctx, "PATCH",
	    path, a->doc, if_match, &rec)) == 0)
		rc = request_print(ctx, rec);
	json_decref(rec);
	return rc;
}

int
request_add(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	char	 path[128];
	json_t	*rec = NULL;
	int	 rc;

	/* a->doc: the record cmd_args_parse made and checked. */
	snprintf(path, sizeof path, "/%s", a->entry->collection);
	if ((rc = request_call(ctx, "POST", path, a->doc, NULL, &rec)) == 0)
		rc = request_print(ctx, rec);
	json_decref(rec);
	return rc;
}

void
request_ctx_clear(struct cmd_ctx *ctx)
{
	client_free(ctx->client);
	ctx->client = NULL;
}
