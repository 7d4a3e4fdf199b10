/*
 * cmd-export.c: `auditorctl export COLLECTION [--csv] [--output FILE]`:
 * every record of a collection the caller may read, from the server's
 * NDJSON pages (GET /v1/export/<collection>, following each Link: rel=next),
 * written as the NDJSON lines that `auditorctl import` takes, or as CSV
 * with a header row from the record's built-in schema (csv.h).
 *
 * With --output, the export goes to FILE.tmp, which replaces FILE only
 * once the whole export is written: a failed export leaves no half file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "csv.h"
#include "log.h"
#include "request.h"
#include "response.h"
#include "schema/schema.h"

/* Pages a broken server could make us follow for ever: a hard stop. */
#define EXPORT_PAGES_MAX	100000

static const struct cmd_opt export_opts[] = {
	{ .name = "output", .arg = "FILE", .help = "Write to FILE (replaced "
	    "once the export is whole) instead of standard output." },
	{ .name = NULL }
};

struct export_out {
	FILE			*fp;
	const struct schema	*schema;	/* CSV; NULL: NDJSON */
	const char		*coll;
	size_t			 records;
	int			 tty;		/* progress on stderr */
	struct timespec		 start;
};

/* "N trainings records, R/s" on a terminal, over itself page by page. */
static void
export_progress(struct export_out *o, int done)
{
	struct timespec	now;
	double		secs;

	if (!o->tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - o->start.tv_sec) +
	    (double)(now.tv_nsec - o->start.tv_nsec) / 1e9;
	fprintf(stderr, "\r%zu %s records, %.0f/s%s", o->records, o->coll,
	    secs > 0 ? (double)o->records / secs : 0.0, done ? "\n" : "");
}

/* One page's lines onto the output; -1 after a message. */
static int
export_page(struct export_out *o, const struct response *r)
{
	const char	*p = r->body, *end = r->body + r->bodylen, *nl;
	json_t		*line, *rec;
	json_error_t	 jerr;

	if (o->schema == NULL) {
		if (r->bodylen > 0 && fwrite(r->body, 1, r->bodylen, o->fp) !=
		    r->bodylen)
			return -1;
	}
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p)
			continue;
		o->records++;
		if (o->schema == NULL)
			continue;
		line = json_loadb(p, (size_t)(nl - p), 0, &jerr);
		rec = json_object_get(line, "record");
		if (!json_is_object(rec)) {
			log_warnx("malformed export line: %s", line == NULL ?
			    jerr.text : "no record");
			json_decref(line);
			errno = 0;
			return -1;
		}
		if (csv_write_record(o->fp, o->schema, rec) != 0) {
			json_decref(line);
			return -1;
		}
		json_decref(line);
	}
	return 0;
}

/*
 * The next page's path from the Link header into next (under /v1), or ""
 * at the end. -1 if the server named a page that is not the next of this
 * export.
 */
static int
export_next(const struct response *r, const char *coll, const char *prev,
    char *next, size_t len)
{
	const char	*link = response_header(r, "Link"), *a, *e;
	char		 want[128];
	size_t		 n;

	next[0] = '\0';
	if (link == NULL)
		return 0;
	n = (size_t)snprintf(want, sizeof want, "</v1/export/%s?after=", coll);
	if (strncmp(link, want, n) != 0 || (e = strchr(link, '>')) == NULL ||
	    strstr(e, "rel=\"next\"") == NULL)
		return -1;
	a = link + n;
	if ((size_t)(e - a) > 64 || e == a || strspn(a, "ABCDEFGHIJKLMNOPQRS"
	    "TUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != (size_t)(e - a))
		return -1;
	snprintf(next, len, "/export/%s?after=%.*s", coll, (int)(e - a), a);
	/* The cursor must move on, or a broken server loops us. */
	if (prev[0] != '\0' && strcmp(next, prev) <= 0)
		return -1;
	return 0;
}

static int
export_pages(struct cmd_ctx *ctx, struct export_out *o)
{
	struct response	*r = NULL;
	char		 path[256], next[256];
	size_t		 pages;
	int		 rc;

	snprintf(path, sizeof path, "/export/%s", o->coll);
	for (pages = 0; pages < EXPORT_PAGES_MAX; pages++) {
		if ((rc = request_send(ctx, "GET", path, NULL, NULL, 0,
		    &r)) != 0)
			return rc;
		if (r->status != 200) {
			rc = request_refused(ctx, r);
			response_free(r);
			return rc;
		}
		if (export_page(o, r) != 0) {
			response_free(r);
			return -1;
		}
		export_progress(o, 0);
		rc = export_next(r, o->coll, pages > 0 ? path : "", next,
		    sizeof next);
		response_free(r);
		if (rc != 0) {
			log_warnx("malformed answer from %s: a Link that is "
			    "not the next page", ctx->server);
			return CMD_SERVER;
		}
		if (next[0] == '\0') {
			export_progress(o, 1);
			return CMD_OK;
		}
		memcpy(path, next, sizeof path);
	}
	log_warnx("more than %d pages: giving up", EXPORT_PAGES_MAX);
	return CMD_SERVER;
}

static int
export_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct export_out	 o;
	const char		*file = cmd_arg(a, "output");
	char			 type[64], tmp[4096];
	int			 rc;

	memset(&o, 0, sizeof o);
	o.coll = a->argv[0];
	if (o.coll[0] == '\0' || strspn(o.coll, "abcdefghijklmnopqrstuvwxyz")
	    != strlen(o.coll) || strlen(o.coll) > 64)
		return cmd_usage_error(a->entry, a->verb, "'%s' is not a "
		    "collection name", o.coll);
	if (ctx->out == &output_csv &&
	    (o.schema = csv_collection_schema(o.coll, type, sizeof type)) ==
	    NULL)
		return cmd_usage_error(a->entry, a->verb, "no record type "
		    "for '%s': CSV needs one", o.coll);
	o.fp = ctx->fp;
	o.tty = isatty(STDERR_FILENO) && (file != NULL || !isatty(fileno(o.fp)));
	clock_gettime(CLOCK_MONOTONIC, &o.start);
	if (file != NULL) {
		if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", file) >=
		    sizeof tmp)
			return cmd_usage_error(a->entry, a->verb, "file name "
			    "too long");
		if ((o.fp = fopen(tmp, "w")) == NULL) {
			log_warn("cannot write %s", tmp);
			return CMD_USAGE;
		}
	}
	errno = 0;
	if (o.schema != NULL && csv_write_header(o.fp, o.schema) != 0)
		rc = -1;
	else
		rc = export_pages(ctx, &o);
	if (rc == -1) {
		if (errno != 0)
			log_warn("cannot write the export");
		rc = CMD_SERVER;
	}
	if (file != NULL) {
		if (fclose(o.fp) != 0 && rc == CMD_OK) {
			log_warn("cannot write %s", tmp);
			rc = CMD_SERVER;
		}
		if (rc == CMD_OK && rename(tmp, file) != 0) {
			log_warn("cannot rename %s to %s", tmp, file);
			rc = CMD_SERVER;
		}
		if (rc != CMD_OK)
			unlink(tmp);
	}
	if (rc == CMD_OK && file != NULL && isatty(STDERR_FILENO))
		log_info("%zu %s records written to %s", o.records, o.coll,
		    file);
	return rc;
}

static const struct cmd_verb export_verbs[] = {
	{ .name = "collection", .args = "COLLECTION", .nargs = 1,
	    .help = "Write every record of COLLECTION you may read as NDJSON, "
	    "or CSV with --csv.", .opts = export_opts, .exec = export_run },
};

/* Its one verb is its default: auditorctl export COLLECTION. */
const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.help = "Write a collection's records as NDJSON or CSV.",
	.verbs = export_verbs,
	.nverbs = sizeof export_verbs / sizeof *export_verbs,
	.dflt = "collection",
};
