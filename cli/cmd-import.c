/*
 * cmd-import.c: `auditorctl import FILE [--collection NAME] [--format F]
 * [--dry-run]`: many records into the server through POST /v1/import.
 *
 * NDJSON files ({"collection":…,"record":{…}} a line, what `auditorctl
 * export` writes) go as they are; a CSV file (its name ends in .csv, or
 * --format csv) holds records of the one collection --collection names,
 * with a header row of field names, each row read back into a record by
 * the built-in schema's property kinds (csv.h). A CSV file is read through
 * once before anything is sent, so a malformed one sends nothing (exit 2).
 *
 * Lines go in requests of at most IMPORT_REQUEST_BYTES and
 * IMPORT_REQUEST_LINES (the server's limits); a server with a smaller body
 * limit answers 413, and the request is split in halves and sent again
 * (the server keeps nothing of a 413). Every line the server refuses is
 * printed as FILE:LINE: collection: /path: message, LINE the file's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "csv.h"
#include "log.h"
#include "request.h"
#include "response.h"
#include "schema/schema.h"

#define IMPORT_REQUEST_BYTES	(1u << 20)	/* the server's default */
#define IMPORT_REQUEST_MIN	(4u << 10)	/* halving stops here */
#define IMPORT_REQUEST_LINES	100000		/* the server's limit */
#define IMPORT_JSON_ERRORS	1000		/* errors kept for --json */

static const char *const formats[] = { "csv", "ndjson", NULL };
static const char *const collections[] = { "areas", "auditors",
	"declarations", "evaluations", "principals", "qualifications",
	"trainings", NULL };

static const struct cmd_opt import_opts[] = {
	{ .name = "collection", .arg = "NAME", .choices = collections,
	    .help = "The collection the records of a CSV file belong to "
	    "(CSV only)." },
	{ .name = "dry-run", .help = "Have the server check every line and "
	    "keep none." },
	{ .name = "format", .arg = "FORMAT", .choices = formats,
	    .help = "The file's format; default: csv for a name ending in "
	    ".csv, else ndjson." },
	{ .name = NULL }
};

struct import_run {
	struct cmd_ctx		*ctx;
	const char		*file;
	const char		*coll;		/* CSV */
	const struct schema	*schema;	/* CSV */
	int			 dry_run;
	size_t			 limit;		/* request bytes, now */
	/* the request being built: its lines and their file lines */
	char			*buf;
	size_t			 len, cap;
	size_t			*off, *fline;	/* n + 1 offsets */
	size_t			 n, ncap;
	/* what the server said, over all requests */
	size_t			 lines, requests, batches, created, replaced;
	size_t			 unchanged, failed, omitted, local;
	json_t			*errors;	/* for --json, file lines */
	size_t			 nerrors;
	/* progress on a terminal */
	int			 tty;
	struct timespec		 t0;
};

/* One refused line: printed, and kept for --json. */
static void
import_report(struct import_run *ir, size_t fline, const char *coll,
    const char *path, const char *msg)
{
	char	c[128], p[256], m[1024];

	if (ir->tty)
		fputs("\r\033[K", stderr);
	request_safe(coll != NULL ? coll : "-", c, sizeof c);
	request_safe(path != NULL ? path : "", p, sizeof p);
	request_safe(msg != NULL ? msg : "refused", m, sizeof m);
	fprintf(stderr, "%s:%zu: %s: %s%s%s\n", ir->file, fline, c, p,
	    p[0] != '\0' ? ": " : "", m);
	if (ir->nerrors++ < IMPORT_JSON_ERRORS)
		json_array_append_new(ir->errors, json_pack("{s:I, s:s?, s:s, "
		    "s:s}", "line", (json_int_t)fline, "collection", coll,
		    "path", path != NULL ? path : "", "message",
		    msg != NULL ? msg : "refused"));
}

static void
import_progress(struct import_run *ir)
{
	struct timespec	now;
	double		secs;

	if (!ir->tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - ir->t0.tv_sec) +
	    (double)(now.tv_nsec - ir->t0.tv_nsec) / 1e9;
	fprintf(stderr, "\r\033[K%s: %zu lines, %.0f lines/s", ir->file,
	    ir->lines, secs > 0 ? (double)ir->lines / secs : 0.0);
}

static size_t
jsize(const json_t *o, const char *key)
{
	json_int_t	v = json_integer_value(json_object_get(o, key));

	return v > 0 ? (size_t)v : 0;
}

/* Count one answer and report its errors; lines from..to of the request. */
static int
import_answer(struct import_run *ir, const struct response *r, size_t from,
    size_t to)
{
	json_t		*doc, *errs, *e;
	json_int_t	 line;
	size_t		 i;

	doc = json_loadb(r->body, r->bodylen, 0, NULL);
	errs = json_object_get(doc, "errors");
	if (!json_is_object(doc) || !json_is_array(errs)) {
		json_decref(doc);
		log_warnx("malformed answer from %s: not an import result",
		    ir->ctx->server);
		return CMD_SERVER;
	}
	ir->requests++;
	ir->lines += jsize(doc, "lines");
	ir->batches += jsize(doc, "batches");
	ir->created += jsize(doc, "created");
	ir->replaced += jsize(doc, "replaced");
	ir->unchanged += jsize(doc, "unchanged");
	ir->failed += jsize(doc, "failed_batches");
	ir->omitted += jsize(doc, "errors_omitted");
	json_array_foreach(errs, i, e) {
		line = json_integer_value(json_object_get(e, "line"));
		if (line < 1 || (size_t)line > to - from)
			continue;
		import_report(ir, ir->fline[from + (size_t)line - 1],
		    json_string_value(json_object_get(e, "collection")),
		    json_string_value(json_object_get(e, "path")),
		    json_string_value(json_object_get(e, "message")));
	}
	json_decref(doc);
	import_progress(ir);
	return CMD_OK;
}

/* 1 if r is the server's own 413 for too many lines (not a body limit). */
static int
too_many_lines(const struct response *r)
{
	const char *ct = response_header(r, "Content-Type");

	return ct != NULL && strncmp(ct, "application/problem+json", 24) == 0 &&
	    strstr(r->body, "too-many-lines") != NULL;
}

/* Send lines from..to of the request; halves on a 413 body limit. */
static int
import_send(struct import_run *ir, size_t from, size_t to)
{
	struct response	*r = NULL;
	size_t		 blen = ir->off[to] - ir->off[from], mid;
	int		 rc;

	rc = request_send(ir->ctx, "POST", ir->dry_run ?
	    "/import?dry_run=true" : "/import", "application/x-ndjson",
	    ir->buf + ir->off[from], blen, &r);
	if (rc != CMD_OK)
		return rc;
	if (r->status == 413 && !too_many_lines(r)) {
		response_free(r);
		if (to - from == 1) {
			ir->local++;
			import_report(ir, ir->fline[from], NULL, NULL, "the line "
			    "is larger than the server takes (HTTP 413)");
			return CMD_OK;
		}
		/* The server's body limit is below ours: halve and go on. */
		ir->limit = blen / 2 > IMPORT_REQUEST_MIN ? blen / 2 :
		    IMPORT_REQUEST_MIN;
		mid = from + (to - from) / 2;
		if ((rc = import_send(ir, from, mid)) != CMD_OK)
			return rc;
		return import_send(ir, mid, to);
	}
	if (r->status != 200)
		rc = request_refused(ir->ctx, r);
	else
		rc = import_answer(ir, r, from, to);
	response_free(r);
	return rc;
}

static int
import_flush(struct import_run *ir)
{
	int	rc = CMD_OK;

	if (ir->n > 0)
		rc = import_send(ir, 0, ir->n);
	ir->n = ir->len = 0;
	return rc;
}

/* Add one line (no newline) from file line fline; sends when full. */
static int
import_line(struct import_run *ir, const char *text, size_t len,
    size_t fline)
{
	char	*nb;
	size_t	*no, *nf, ncap;
	int	 rc;

	if (len + 1 > ir->limit) {
		ir->local++;
		import_report(ir, fline, NULL, NULL, "the line is longer than "
		    "a request may be");
		return CMD_OK;
	}
	if ((ir->len + len + 1 > ir->limit || ir->n == IMPORT_REQUEST_LINES) &&
	    (rc = import_flush(ir)) != CMD_OK)
		return rc;
	if (ir->len + len + 1 > ir->cap) {
		ncap = ir->len + len + 1 > 2 * ir->cap ? ir->len + len + 1 :
		    2 * ir->cap;
		if ((nb = realloc(ir->buf, ncap)) == NULL)
			goto nomem;
		ir->buf = nb;
		ir->cap = ncap;
	}
	if (ir->n + 2 > ir->ncap) {
		ncap = ir->ncap ? ir->ncap * 2 : 1024;
		if ((no = reallocarray(ir->off, ncap, sizeof *no)) == NULL)
			goto nomem;
		ir->off = no;
		if ((nf = reallocarray(ir->fline, ncap, sizeof *nf)) == NULL)
			goto nomem;
		ir->fline = nf;
		ir->ncap = ncap;
	}
	ir->off[ir->n] = ir->len;
	ir->fline[ir->n++] = fline;
	memcpy(ir->buf + ir->len, text, len);
	ir->len += len;
	ir->buf[ir->len++] = '\n';
	ir->off[ir->n] = ir->len;
	return CMD_OK;
nomem:
	log_warnx("out of memory");
	return CMD_SERVER;
}

/* An NDJSON file: every non-blank line as it is. */
static int
import_ndjson(struct import_run *ir, FILE *fp)
{
	char	*line = NULL;
	size_t	 cap = 0, fline = 0;
	ssize_t	 n;
	int	 rc = CMD_OK;

	while (rc == CMD_OK && (n = getline(&line, &cap, fp)) != -1) {
		fline++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n > 0)
			rc = import_line(ir, line, (size_t)n, fline);
	}
	free(line);
	if (rc == CMD_OK && ferror(fp)) {
		log_warn("cannot read %s", ir->file);
		rc = CMD_USAGE;
	}
	return rc;
}

/* The header's names: each given once. -1 after a message. */
static int
csv_header_check(struct import_run *ir, const struct csv_row *h)
{
	size_t	i, j;

	for (i = 0; i < h->n; i++) {
		if (h->cells[i].len == 0) {
			log_warnx("%s:%zu: field %zu of the header has no "
			    "name", ir->file, h->line, i + 1);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(h->cells[i].text, h->cells[j].text) == 0) {
				log_warnx("%s:%zu: the header names '%s' "
				    "twice", ir->file, h->line,
				    h->cells[i].text);
				return -1;
			}
	}
	return 0;
}

/*
 * Read the CSV file through: with send unset only check it (each error on
 * stderr, CMD_USAGE), else send each row as a line.
 */
static int
import_csv_pass(struct import_run *ir, FILE *fp, int send)
{
	struct csv_reader	 rd;
	struct csv_row		 head, row;
	json_t			*rec, *line;
	char			 err[256], *text;
	int			 got, rc = CMD_OK;

	memset(&head, 0, sizeof head);
	memset(&row, 0, sizeof row);
	csv_reader_init(&rd, fp);
	if ((got = csv_read(&rd, &head, err, sizeof err)) != 1) {
		log_warnx("%s: %s", ir->file, got == 0 ? "no header row" : err);
		rc = CMD_USAGE;
		goto done;
	}
	if (!send && csv_header_check(ir, &head) != 0) {
		rc = CMD_USAGE;
		goto done;
	}
	while (rc == CMD_OK && (got = csv_read(&rd, &row, err,
	    sizeof err)) == 1) {
		if (csv_row_blank(&row))
			continue;
		if ((rec = csv_row_record(ir->schema, &head, &row, err,
		    sizeof err)) == NULL) {
			log_warnx("%s:%zu: %s", ir->file, row.line, err);
			rc = CMD_USAGE;
			break;
		}
		if (!send) {
			json_decref(rec);
			continue;
		}
		/* The record is taken by the line object. */
		line = json_pack("{s:s, s:o}", "collection", ir->coll, "record",
		    rec);
		text = line != NULL ? json_dumps(line, JSON_COMPACT) : NULL;
		json_decref(line);
		if (text == NULL) {
			log_warnx("out of memory");
			rc = CMD_SERVER;
		} else
			rc = import_line(ir, text, strlen(text), row.line);
		free(text);
	}
	if (got == -1) {
		log_warnx("%s: %s", ir->file, err);
		rc = CMD_USAGE;
	}
done:
	csv_row_free(&head);
	csv_row_free(&row);
	return rc;
}

static void
import_summary(struct import_run *ir)
{
	size_t	kept = ir->created + ir->replaced + ir->unchanged;
	size_t	lost = ir->lines > kept ? ir->lines - kept : 0;

	if (ir->tty)
		fputs("\r\033[K", stderr);
	if (ir->ctx->out == &output_json) {
		json_t *doc = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, "
		    "s:I, s:I, s:I, s:O, s:I}", "file", ir->file,
		    "dry_run", ir->dry_run, "lines", (json_int_t)ir->lines,
		    "requests", (json_int_t)ir->requests,
		    "batches", (json_int_t)ir->batches,
		    "created", (json_int_t)ir->created,
		    "replaced", (json_int_t)ir->replaced,
		    "unchanged", (json_int_t)ir->unchanged,
		    "failed_batches", (json_int_t)ir->failed,
		    "not_kept", (json_int_t)(lost + ir->local),
		    "errors", ir->errors, "errors_omitted",
		    (json_int_t)(ir->omitted + (ir->nerrors >
		    IMPORT_JSON_ERRORS ? ir->nerrors - IMPORT_JSON_ERRORS : 0)));
		if (doc != NULL)
			json_dumpf(doc, ir->ctx->fp, JSON_INDENT(2));
		fputc('\n', ir->ctx->fp);
		json_decref(doc);
		return;
	}
	fprintf(ir->ctx->fp, "%s: %zu line%s: %zu created, %zu replaced, "
	    "%zu unchanged", ir->file, ir->lines + ir->local,
	    ir->lines + ir->local == 1 ? "" : "s", ir->created, ir->replaced,
	    ir->unchanged);
	if (lost + ir->local > 0)
		fprintf(ir->ctx->fp, "; %zu not kept (%zu of %zu batches "
		    "failed%s)", lost + ir->local, ir->failed, ir->batches,
		    ir->omitted > 0 ? "; some errors not listed" : "");
	fprintf(ir->ctx->fp, "%s\n", ir->dry_run ? " (dry run: nothing was "
	    "kept)" : "");
}

/* The format, collection and schema from the options; 0 or CMD_USAGE. */
static int
import_setup(struct import_run *ir, const struct cmd_args *a, int *csv)
{
	const char	*fmt = cmd_arg(a, "format");
	size_t		 n = strlen(ir->file);
	char		 type[64];

	*csv = fmt != NULL ? strcmp(fmt, "csv") == 0 :
	    n > 4 && strcasecmp(ir->file + n - 4, ".csv") == 0;
	ir->coll = cmd_arg(a, "collection");
	if (!*csv && ir->coll != NULL)
		return cmd_usage_error(a->entry, a->verb, "--collection is for "
		    "CSV files: NDJSON lines name their collections");
	if (*csv && ir->coll == NULL)
		return cmd_usage_error(a->entry, a->verb, "a CSV file needs "
		    "--collection NAME");
	if (*csv && (ir->schema = csv_collection_schema(ir->coll, type,
	    sizeof type)) == NULL)
		return cmd_usage_error(a->entry, a->verb, "'%s' is not a "
		    "collection of records", ir->coll);
	return 0;
}

static int
import_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct import_run	 ir;
	FILE			*fp;
	int			 csv, rc;

	memset(&ir, 0, sizeof ir);
	ir.ctx = ctx;
	ir.file = a->argv[0];
	ir.dry_run = cmd_arg(a, "dry-run") != NULL;
	ir.limit = IMPORT_REQUEST_BYTES;
	if ((rc = import_setup(&ir, a, &csv)) != 0)
		return rc;
	if ((fp = fopen(ir.file, "r")) == NULL) {
		log_warn("cannot read %s", ir.file);
		return CMD_USAGE;
	}
	if ((ir.errors = json_array()) == NULL) {
		fclose(fp);
		log_warnx("out of memory");
		return CMD_SERVER;
	}
	ir.tty = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &ir.t0);
	if (!csv)
		rc = import_ndjson(&ir, fp);
	else if ((rc = import_csv_pass(&ir, fp, 0)) == CMD_OK) {
		rewind(fp);
		rc = import_csv_pass(&ir, fp, 1);
	}
	if (rc == CMD_OK)
		rc = import_flush(&ir);
	fclose(fp);
	if (rc == CMD_OK || ir.requests > 0)
		import_summary(&ir);
	if (rc != CMD_OK && ir.requests > 0)
		log_warnx("stopped: what the summary counts was %s",
		    ir.dry_run ? "checked" : "imported");
	if (rc == CMD_OK && (ir.failed > 0 || ir.local > 0))
		rc = CMD_REFUSED;
	json_decref(ir.errors);
	free(ir.buf);
	free(ir.off);
	free(ir.fline);
	return rc;
}

static const struct cmd_verb import_verbs[] = {
	{ .name = "file", .args = "FILE", .nargs = 1, .help = "Create or "
	    "replace the records of an NDJSON or CSV file.",
	    .opts = import_opts, .exec = import_run },
};

/* Its one verb is its default: auditorctl import FILE. */
const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.help = "Create or replace many records from an NDJSON or CSV file.",
	.verbs = import_verbs,
	.nverbs = sizeof import_verbs / sizeof *import_verbs,
	.dflt = "file",
};
