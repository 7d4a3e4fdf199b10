/*
 * status.c: an auditor's status for a person (status.h). The daemon
 * judges; this only draws what it answered, so that a part it adds later
 * or leaves out never stops the rest from being shown.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "output.h"
#include "request.h"
#include "status.h"
#include "util.h"

#define STATUS_COLS	6	/* cells of a row, at most */
#define BAR_WIDTH	20	/* cells of the CPD bar */
#define TEXT_MAX	512	/* a cell of the server's text, at most */

/* The symbols: UTF-8 or ASCII; each one column wide. */
struct glyphs {
	const char	*ok, *bad, *warn, *unknown, *bullet;
	const char	*full, *empty, *open, *close;
};

static const struct glyphs utf8_glyphs = {
	"\xe2\x9c\x93", "\xe2\x9c\x97", "!", "?", "\xe2\x80\xa2",
	"\xe2\x96\x88", "\xe2\x96\x91", "", ""
};
static const struct glyphs ascii_glyphs = {
	"+", "x", "!", "?", "-", "#", "-", "[", "]"
};

/* The rows of one part, printed with each column as wide as its widest. */
struct rows {
	char	*(*v)[STATUS_COLS];
	size_t	 n;
	int	 oom;
};

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Add a row of up to STATUS_COLS cells (NULL: empty), made safe. */
static void
rows_add(struct rows *t, const char *c0, const char *c1, const char *c2,
    const char *c3, const char *c4, const char *c5)
{
	const char	*in[STATUS_COLS] = { c0, c1, c2, c3, c4, c5 };
	char		*(*nv)[STATUS_COLS], buf[TEXT_MAX];
	size_t		 i;

	if (t->oom || (nv = reallocarray(t->v, t->n + 1, sizeof *nv)) ==
	    NULL) {
		t->oom = 1;
		return;
	}
	t->v = nv;
	for (i = 0; i < STATUS_COLS; i++)
		if ((t->v[t->n][i] = strdup(request_safe(in[i] ? in[i] : "",
		    buf, sizeof buf))) == NULL)
			t->oom = 1;
	t->n++;
}

/* Print and free the rows; -1 if memory ran out on the way. */
static int
rows_flush(FILE *fp, struct rows *t)
{
	size_t	w[STATUS_COLS] = { 0 }, r, c, last, cw;
	int	rc = t->oom ? -1 : 0;

	for (r = 0; r < t->n; r++)
		for (c = 0; c < STATUS_COLS; c++)
			if (t->v[r][c] != NULL &&
			    (cw = output_width(t->v[r][c])) > w[c])
				w[c] = cw;
	for (r = 0; r < t->n && rc == 0; r++) {
		for (last = STATUS_COLS; last > 0 && (t->v[r][last - 1] ==
		    NULL || t->v[r][last - 1][0] == '\0'); last--)
			;
		fputs(" ", fp);
		for (c = 0; c < last; c++) {
			/* An empty column takes no room at all. */
			if (w[c] == 0)
				continue;
			/* The symbol, one space, then columns two apart. */
			fprintf(fp, "%s%s", c > 1 ? "  " : " ", t->v[r][c]);
			if (c + 1 < last)
				fprintf(fp, "%*s", (int)(w[c] -
				    output_width(t->v[r][c])), "");
		}
		fputc('\n', fp);
	}
	for (r = 0; r < t->n; r++)
		for (c = 0; c < STATUS_COLS; c++)
			free(t->v[r][c]);
	free(t->v);
	memset(t, 0, sizeof *t);
	return rc;
}

/* s with '_' as ' ' ("lead_auditor_certificate" for a person). */
static const char *
words(const char *s, char *buf, size_t len)
{
	char	*c;

	snprintf(buf, len, "%s", s ? s : "");
	for (c = buf; *c != '\0'; c++)
		if (*c == '_')
			*c = ' ';
	return buf;
}

/* "1 day", "41 days". */
static const char *
days(long n, char *buf, size_t len)
{
	snprintf(buf, len, "%ld day%s", n, n == 1 ? "" : "s");
	return buf;
}

/* Days from on to date; 0 and *ok 0 when either is no date. */
static long
days_between(const char *on, const char *date, int *ok)
{
	int	a = 0, b = 0;
	long	d;

	*ok = 0;
	if (on == NULL || date == NULL)
		return 0;
	d = util_date_days(date, &a) - util_date_days(on, &b);
	*ok = a && b;
	return *ok ? d : 0;
}

static const char *
qual_glyph(const char *state, const struct glyphs *g)
{
	if (state == NULL)
		return g->unknown;
	if (strcmp(state, "valid") == 0)
		return g->ok;
	if (strcmp(state, "expiring") == 0)
		return g->warn;
	if (strcmp(state, "expired") == 0 ||
	    strcmp(state, "not_yet_valid") == 0)
		return g->bad;
	return g->unknown;
}

/* "expires in 41 days (2027-01-10)", "expired 3 days ago (...)", ... */
static void
qual_when(const json_t *q, const char *on, char *buf, size_t len)
{
	const char	*state = str(q, "state"), *exp = str(q, "expires");
	const json_t	*left = json_object_get(q, "days_left");
	char		 n[32];
	long		 d;
	int		 ok = 1;

	if (state != NULL && strcmp(state, "not_yet_valid") == 0 &&
	    str(q, "issued") != NULL) {
		snprintf(buf, len, "valid from %s", str(q, "issued"));
		return;
	}
	if (exp == NULL) {
		snprintf(buf, len, "does not expire");
		return;
	}
	d = json_is_integer(left) ? (long)json_integer_value(left) :
	    days_between(on, exp, &ok);
	if (!ok)
		snprintf(buf, len, "expires %s", exp);
	else if (d > 0)
		snprintf(buf, len, "expires in %s (%s)", days(d, n, sizeof n),
		    exp);
	else if (d == 0)
		snprintf(buf, len, "expires today (%s)", exp);
	else
		snprintf(buf, len, "expired %s ago (%s)", days(-d, n, sizeof n),
		    exp);
}

static void
part_quals(FILE *fp, const json_t *doc, const struct glyphs *g)
{
	const json_t	*qs = json_object_get(doc, "qualifications"), *q;
	struct rows	 t = { NULL, 0, 0 };
	char		 kind[128], state[64], when[128];
	size_t		 i;

	if (!json_is_array(qs))
		return;
	fprintf(fp, "\nQualifications\n");
	if (json_array_size(qs) == 0)
		fprintf(fp, "  none\n");
	json_array_foreach(qs, i, q) {
		qual_when(q, str(doc, "on"), when, sizeof when);
		rows_add(&t, qual_glyph(str(q, "state"), g), words(str(q,
		    "kind"), kind, sizeof kind), str(q, "standard"),
		    words(str(q, "state"), state, sizeof state), when,
		    str(q, "id"));
	}
	if (rows_flush(fp, &t) == -1)
		fputs("  (out of memory)\n", fp);
}

/* [#############-------] 18.5 / 20 h from 2 trainings */
static void
part_cpd(FILE *fp, const json_t *doc, const struct glyphs *g)
{
	const json_t	*c = json_object_get(doc, "cpd");
	const json_t	*ev = json_object_get(c, "evidence");
	double		 h = json_number_value(json_object_get(c, "hours"));
	double		 min = json_number_value(json_object_get(c,
			    "min_hours"));
	char		 a[32], b[32];
	int		 i, fill;

	if (!json_is_object(c))
		return;
	fprintf(fp, "\nCPD: verified hours");
	if (str(c, "from") != NULL && str(c, "to") != NULL)
		fprintf(fp, " from %s to %s", str(c, "from"), str(c, "to"));
	/* Full only when met: a bar one cell short of full is a shortfall. */
	if (!isfinite(h) || h < 0)
		h = 0;
	fill = min <= 0 || h >= min ? BAR_WIDTH : (int)floor(h / min *
	    BAR_WIDTH);
	if (fill >= BAR_WIDTH && h < min)
		fill = BAR_WIDTH - 1;
	fprintf(fp, "\n  %s %s", h >= min ? g->ok : g->bad, g->open);
	for (i = 0; i < BAR_WIDTH; i++)
		fputs(i < fill ? g->full : g->empty, fp);
	fprintf(fp, "%s %s / %s h", g->close, output_number(h, a, sizeof a),
	    output_number(min, b, sizeof b));
	if (json_is_array(ev))
		fprintf(fp, " from %zu training%s", json_array_size(ev),
		    json_array_size(ev) == 1 ? "" : "s");
	fputc('\n', fp);
}

static const char *
eval_glyph(const char *state, const struct glyphs *g)
{
	if (state == NULL)
		return g->unknown;
	if (strcmp(state, "current") == 0)
		return g->ok;
	if (strcmp(state, "due") == 0)
		return g->warn;
	return strcmp(state, "overdue") == 0 || strcmp(state, "failed") == 0 ||
	    strcmp(state, "none") == 0 ? g->bad : g->unknown;
}

/* "next due 2027-06-01, in 183 days", "next was due ..., 3 days ago" */
static void
eval_next(const json_t *e, const char *on, char *buf, size_t len)
{
	const char	*next = str(e, "next_due");
	char		 n[32];
	long		 d;
	int		 ok;

	buf[0] = '\0';
	if (next == NULL)
		return;
	d = days_between(on, next, &ok);
	if (!ok)
		snprintf(buf, len, "next due %s", next);
	else if (d > 0)
		snprintf(buf, len, "next due %s, in %s", next, days(d, n,
		    sizeof n));
	else if (d == 0)
		snprintf(buf, len, "next due today (%s)", next);
	else
		snprintf(buf, len, "next was due %s, %s ago", next, days(-d, n,
		    sizeof n));
}

static void
part_evaluation(FILE *fp, const json_t *doc, const struct glyphs *g)
{
	const json_t	*e = json_object_get(doc, "evaluation");
	const char	*state = str(e, "state");
	struct rows	 t = { NULL, 0, 0 };
	char		 st[64], res[64], what[TEXT_MAX], next[128];

	if (!json_is_object(e))
		return;
	fprintf(fp, "\nEvaluation\n");
	if (str(e, "latest") == NULL || (state != NULL &&
	    strcmp(state, "none") == 0)) {
		fprintf(fp, "  %s none on record\n", g->bad);
		return;
	}
	/* current: meets on 2026-06-01 (evaluations/e3); next due ... */
	eval_next(e, str(doc, "on"), next, sizeof next);
	snprintf(what, sizeof what, "%s: %s%s%s (%s)%s%s", words(state, st,
	    sizeof st), words(str(e, "result"), res, sizeof res),
	    str(e, "date") ? " on " : "", str(e, "date") ? str(e, "date") : "",
	    str(e, "latest"), next[0] ? "; " : "", next);
	rows_add(&t, eval_glyph(state, g), what, NULL, NULL, NULL, NULL);
	if (rows_flush(fp, &t) == -1)
		fputs("  (out of memory)\n", fp);
}

static void
part_declarations(FILE *fp, const json_t *doc, const struct glyphs *g)
{
	const json_t	*ds = json_object_get(doc, "declarations"), *d;
	struct rows	 t = { NULL, 0, 0 };
	char		 kind[64], when[64];
	size_t		 i;

	if (!json_is_array(ds))
		return;
	fprintf(fp, "\nDeclarations of interest\n");
	if (json_array_size(ds) == 0)
		fprintf(fp, "  none\n");
	json_array_foreach(ds, i, d) {
		if (str(d, "until") != NULL)
			snprintf(when, sizeof when, "%s to %s", str(d, "from") ?
			    str(d, "from") : "?", str(d, "until"));
		else
			snprintf(when, sizeof when, "since %s", str(d, "from") ?
			    str(d, "from") : "?");
		rows_add(&t, g->bullet, str(d, "party"), words(str(d, "kind"),
		    kind, sizeof kind), when, str(d, "id"), NULL);
	}
	if (rows_flush(fp, &t) == -1)
		fputs("  (out of memory)\n", fp);
}

static void
part_assignments(FILE *fp, const json_t *doc, const struct glyphs *g)
{
	const json_t	*as = json_object_get(doc, "assignments"), *a;
	struct rows	 t = { NULL, 0, 0 };
	char		 role[64], when[64];
	size_t		 i;

	if (!json_is_array(as))
		return;
	fprintf(fp, "\nAssignments, current and upcoming\n");
	if (json_array_size(as) == 0)
		fprintf(fp, "  none\n");
	json_array_foreach(as, i, a) {
		snprintf(when, sizeof when, "%s to %s%s", str(a, "start") ?
		    str(a, "start") : "?", str(a, "end") ? str(a, "end") : "?",
		    json_is_true(json_object_get(a, "current")) ? " (now)" :
		    "");
		rows_add(&t, g->bullet, str(a, "audit"), words(str(a, "role"),
		    role, sizeof role), when, str(a, "status"), str(a, "id"));
	}
	if (rows_flush(fp, &t) == -1)
		fputs("  (out of memory)\n", fp);
}

/* The details of gaps or warnings under heading, each after glyph. */
static void
part_details(FILE *fp, const json_t *list, const char *heading,
    const char *glyph)
{
	const json_t	*x;
	const char	*d;
	char		 buf[TEXT_MAX];
	size_t		 i;

	if (json_array_size(list) == 0)
		return;
	fprintf(fp, "\n%s\n", heading);
	json_array_foreach(list, i, x) {
		/* A rule without words still says which rule it is. */
		if ((d = str(x, "detail")) == NULL)
			d = str(x, "rule");
		fprintf(fp, "  %s %s\n", glyph, request_safe(d ? d : "?", buf,
		    sizeof buf));
	}
}

int
status_print(FILE *fp, const json_t *doc, int utf8)
{
	const struct glyphs	*g = utf8 ? &utf8_glyphs : &ascii_glyphs;
	const json_t		*fit = json_object_get(doc, "fit");
	char			 who[ID_MAX * 4 + 8], on[64], heading[TEXT_MAX];

	if (str(doc, "auditor") == NULL || !json_is_boolean(fit))
		return STATUS_MALFORMED;
	request_safe(str(doc, "auditor"), who, sizeof who);
	on[0] = '\0';
	if (str(doc, "on") != NULL)
		request_safe(str(doc, "on"), on, sizeof on);
	fprintf(fp, "%s %s is %sfit to audit%s%s\n", json_is_true(fit) ?
	    g->ok : g->bad, who, json_is_true(fit) ? "" : "not ", on[0] ?
	    " on " : "", on);
	part_quals(fp, doc, g);
	part_cpd(fp, doc, g);
	part_evaluation(fp, doc, g);
	part_declarations(fp, doc, g);
	part_assignments(fp, doc, g);
	snprintf(heading, sizeof heading, "What stands between %s and being "
	    "fit", who);
	part_details(fp, json_object_get(doc, "gaps"), heading, g->bad);
	part_details(fp, json_object_get(doc, "warnings"), "Warnings",
	    g->warn);
	return ferror(fp) ? -1 : 0;
}

int
status_show(struct cmd_ctx *ctx, const json_t *doc)
{
	int	rc;

	if (ctx->out != &output_table)
		return request_print(ctx, doc);
	errno = 0;
	if ((rc = status_print(ctx->fp, doc, output_utf8())) ==
	    STATUS_MALFORMED) {
		log_warnx("malformed answer from %s: not an auditor's status",
		    ctx->server);
		return CMD_SERVER;
	}
	if (rc == -1) {
		log_warnx("cannot write the output%s%s", errno ? ": " : "",
		    errno ? strerror(errno) : "");
		return CMD_SERVER;
	}
	return CMD_OK;
}

int
status_show_me(struct cmd_ctx *ctx, const json_t *me)
{
	json_t	*status = json_object_get(me, "status"), *rest;
	int	 rc;

	if (ctx->out != &output_table || !json_is_object(status))
		return request_print(ctx, me);
	if ((rest = json_copy((json_t *)me)) == NULL ||
	    json_object_del(rest, "status") == -1) {
		json_decref(rest);
		log_warnx("out of memory");
		return CMD_SERVER;
	}
	if ((rc = request_print(ctx, rest)) == CMD_OK) {
		fputc('\n', ctx->fp);
		rc = status_show(ctx, status);
	}
	json_decref(rest);
	return rc;
}
