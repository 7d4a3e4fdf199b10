/*
 * programme.c: the programme dashboard from GET /v1/reports/programme/{id}:
 * the audits on a timeline by month (SVG; a month calendar on a
 * terminal and in Markdown), each audit's team check, findings by type
 * (a bar chart) and by criterion, and the corrective actions by state
 * with the overdue ones called out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/docs.h"
#include "render/svg.h"
#include "util.h"

/* The statuses in the legend's order, each with its colour. */
static const struct {
	const char	*status;
	const char	*colour;
} statuses[] = {
	{ "planned", "#90a4ae" },
	{ "in_progress", "#1e88e5" },
	{ "reported", "#fb8c00" },
	{ "closed", "#43a047" },
	{ "cancelled", "#e53935" },
};
#define NSTATUSES	(sizeof statuses / sizeof *statuses)

static const char *const month_names[] = { "Jan", "Feb", "Mar", "Apr",
    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static const char *
status_colour(const char *s)
{
	size_t	i;

	for (i = 0; s != NULL && i < NSTATUSES; i++)
		if (strcmp(s, statuses[i].status) == 0)
			return statuses[i].colour;
	return "#bdbdbd";
}

/* Year and month (1-12) of a valid date. */
static void
ym(const char *date, int *y, int *m)
{
	*y = atoi(date);
	*m = atoi(date + 5);
}

/* The day number of the first of month y-m. */
static long
month_first(int y, int m)
{
	char	d[32];

	/* Valid dates: y is 0-9999, m 1-12. */
	snprintf(d, sizeof d, "%04d-%02d-01", y, m);
	return util_date_days(d, NULL);
}

static void
month_next(int *y, int *m)
{
	if (++*m > 12) {
		*m = 1;
		++*y;
	}
}

/* Days of month y-m. */
static long
month_days(int y, int m)
{
	int	ny = y, nm = m;

	month_next(&ny, &nm);
	return month_first(ny, nm) - month_first(y, m);
}

/* A growing string; NULL after a failed allocation. */
struct buf {
	char	*s;
	size_t	 len, max;
	int	 bad;
};

static void
buf_add(struct buf *b, const char *s)
{
	size_t	 n = strlen(s);
	char	*g;

	if (b->bad)
		return;
	if (b->len + n + 1 > b->max) {
		b->max = (b->len + n + 1) * 2;
		if ((g = realloc(b->s, b->max)) == NULL) {
			b->bad = 1;
			return;
		}
		b->s = g;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

#define CAL_LABEL_MIN	8
#define CAL_LABEL_MAX	16

char *
render_calendar(const json_t *audits, const char *from, const char *to,
    int utf8)
{
	const json_t	*a;
	struct buf	 b = { NULL, 0, 0, 0 };
	const char	*id, *st;
	char		 line[64];
	long		 first, last, d0, dn, s, e, d;
	size_t		 i, w = CAL_LABEL_MIN, n;
	int		 y, m, ty, tm, any, ok1 = 0, ok2 = 0;

	util_date_days(from, &ok1);
	util_date_days(to, &ok2);
	if (!ok1 || !ok2 || strcmp(from, to) > 0)
		return NULL;
	json_array_foreach(audits, i, a)
		if ((id = render_str(a, "id")) != NULL && strlen(id) > w)
			w = strlen(id) > CAL_LABEL_MAX ? CAL_LABEL_MAX :
			    strlen(id);
	buf_add(&b, "");
	ym(from, &y, &m);
	ym(to, &ty, &tm);
	for (; y < ty || (y == ty && m <= tm); month_next(&y, &m)) {
		first = month_first(y, m);
		dn = month_days(y, m);
		last = first + dn - 1;
		/* The heading: the month, then day numbers at 1, 5, 10... */
		snprintf(line, sizeof line, "%s %04d", month_names[m - 1], y);
		buf_add(&b, line);
		for (n = strlen(line); n < w + 2; n++)
			buf_add(&b, " ");
		for (d = 1; d <= dn; d++) {
			if (d == 1 || d % 5 == 0) {
				snprintf(line, sizeof line, "%ld", d);
				buf_add(&b, line);
				d += (long)strlen(line) - 1;
			} else
				buf_add(&b, " ");
		}
		while (!b.bad && b.len > 0 && b.s[b.len - 1] == ' ')
			b.s[--b.len] = '\0';
		buf_add(&b, "\n");
		any = 0;
		json_array_foreach(audits, i, a) {
			if ((id = render_str(a, "id")) == NULL ||
			    render_str(a, "start") == NULL ||
			    render_str(a, "end") == NULL)
				continue;
			s = util_date_days(render_str(a, "start"), &ok1);
			e = util_date_days(render_str(a, "end"), &ok2);
			if (!ok1 || !ok2 || e < first || s > last)
				continue;
			any = 1;
			st = render_str(a, "status");
			snprintf(line, sizeof line, "%-*.*s  ", (int)w, (int)w,
			    id);
			buf_add(&b, line);
			for (d0 = first; d0 <= last; d0++) {
				if (d0 < s || d0 > e)
					buf_add(&b, utf8 ? "\xc2\xb7" : ".");
				else if (st != NULL && strcmp(st,
				    "cancelled") == 0)
					buf_add(&b, "x");
				else
					buf_add(&b, utf8 ? "\xe2\x96\x88" :
					    "#");
			}
			buf_add(&b, "\n");
		}
		if (!any)
			buf_add(&b, "  (no audits)\n");
	}
	if (b.bad) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* Geometry of the timeline, in SVG user units. */
#define TL_WIDTH	720.0
#define TL_LABEL	120.0
#define TL_TOP		28.0
#define TL_ROW		20.0
#define TL_BAR		14.0
#define TL_LEGEND	30.0

static void
timeline(struct render *r, const json_t *doc)
{
	const json_t	*audits = json_object_get(doc, "audits"), *a;
	const json_t	*period = json_object_get(doc, "period");
	const char	*from = render_str(period, "from");
	const char	*to = render_str(period, "to");
	struct svg	*svg;
	char		 label[64], *tip;
	double		 plot = TL_WIDTH - TL_LABEL - 10, h, x, x2, y;
	long		 d0, d1, span, s, e;
	size_t		 i, n = json_array_size(audits);
	int		 my, mm, ty, tm, ok = 0;

	if (from == NULL || to == NULL)
		return;
	util_date_days(from, &ok);
	if (!ok || (util_date_days(to, &ok), !ok) || strcmp(from, to) > 0)
		return;
	ym(from, &my, &mm);
	ym(to, &ty, &tm);
	d0 = month_first(my, mm);
	d1 = month_first(ty, tm) + month_days(ty, tm);	/* exclusive */
	span = d1 - d0;
	h = TL_TOP + (double)(n ? n : 1) * TL_ROW + TL_LEGEND;
	if ((svg = render_figure_begin(r, "Audits by month, coloured by "
	    "status", TL_WIDTH, h)) == NULL)
		return;
	/* Month ticks. */
	svg_group(svg, "months");
	for (; my < ty || (my == ty && mm <= tm); month_next(&my, &mm)) {
		x = TL_LABEL + plot * (double)(month_first(my, mm) - d0) /
		    (double)span;
		svg_line(svg, x, TL_TOP - 14, x, TL_TOP + (double)n * TL_ROW,
		    "tick");
		snprintf(label, sizeof label, mm == 1 || x == TL_LABEL ?
		    "%s %d" : "%s", month_names[mm - 1], my);
		svg_text(svg, x + 2, TL_TOP - 4, "start", "month", label);
	}
	svg_line(svg, TL_LABEL + plot, TL_TOP - 14, TL_LABEL + plot,
	    TL_TOP + (double)n * TL_ROW, "tick");
	svg_group_end(svg);
	/* One bar per audit, clamped to the period. */
	svg_group(svg, "audits");
	json_array_foreach(audits, i, a) {
		y = TL_TOP + (double)i * TL_ROW;
		svg_text(svg, TL_LABEL - 6, y + TL_BAR - 3, "end", "label",
		    render_str(a, "id"));
		s = util_date_days(render_str(a, "start") ?
		    render_str(a, "start") : "", &ok);
		if (!ok)
			s = d0;
		e = util_date_days(render_str(a, "end") ?
		    render_str(a, "end") : "", &ok);
		if (!ok)
			e = s;
		s = s < d0 ? d0 : s > d1 - 1 ? d1 - 1 : s;
		e = e < s ? s : e > d1 - 1 ? d1 - 1 : e;
		x = TL_LABEL + plot * (double)(s - d0) / (double)span;
		x2 = TL_LABEL + plot * (double)(e + 1 - d0) / (double)span;
		if (asprintf(&tip, "%s: %s, %s to %s, %s", render_str(a, "id") ?
		    render_str(a, "id") : "?", render_str(a, "auditee") ?
		    render_str(a, "auditee") : "", render_str(a, "start") ?
		    render_str(a, "start") : "?", render_str(a, "end") ?
		    render_str(a, "end") : "?", render_str(a, "status") ?
		    render_str(a, "status") : "?") == -1)
			tip = NULL;
		svg_rect(svg, x, y + 2, x2 - x < 2 ? 2 : x2 - x, TL_BAR, "bar",
		    status_colour(render_str(a, "status")), tip);
		free(tip);
	}
	svg_group_end(svg);
	/* The legend. */
	svg_group(svg, "legend");
	y = TL_TOP + (double)(n ? n : 1) * TL_ROW + 10;
	for (i = 0; i < NSTATUSES; i++) {
		x = TL_LABEL + (double)i * 110;
		svg_rect(svg, x, y, 12, 12, "swatch", statuses[i].colour, NULL);
		svg_text(svg, x + 16, y + 10, "start", "legend",
		    statuses[i].status);
	}
	svg_group_end(svg);
	render_figure_end(r);
}

static void
audits_table(struct render *r, const json_t *audits)
{
	static const char *const titles[] = { "ID", "AUDITEE", "TYPE",
	    "START", "END", "STATUS", "TEAM", "TEAM CHECK" };
	static const int flags[] = { 0, 0, 0, 0, 0, 0, RENDER_RIGHT, 0 };
	const json_t	*a;
	const char	*row[8];
	char		 team[24], *fail, *check;
	size_t		 i;
	int		 ok;

	render_table_begin(r, 8, titles, flags);
	json_array_foreach(audits, i, a) {
		ok = json_is_true(json_object_get(a, "compliant"));
		fail = render_join(json_object_get(a, "failing"), ", ");
		if (ok)
			check = strdup("compliant");
		else if (asprintf(&check, "fails: %s", fail && fail[0] ?
		    fail : "?") == -1)
			check = NULL;
		snprintf(team, sizeof team, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(a, "team")));
		row[0] = render_str(a, "id");
		row[1] = render_str(a, "auditee");
		row[2] = render_str(a, "type");
		row[3] = render_str(a, "start");
		row[4] = render_str(a, "end");
		row[5] = render_str(a, "status");
		row[6] = team;
		row[7] = check;
		render_row(r, ok ? RENDER_PLAIN : RENDER_BAD, row);
		free(fail);
		free(check);
	}
	render_table_end(r);
}

#define BC_WIDTH	520.0
#define BC_LABEL	200.0
#define BC_ROW		22.0

/* A count per key of obj: a table, and in HTML a bar chart. */
static void
counts(struct render *r, const json_t *obj, const char *caption,
    const char *title, int findings)
{
	static const int flags[] = { 0, RENDER_RIGHT };
	const char	*titles[2] = { title, "COUNT" }, *row[2], *k;
	const json_t	*v;
	struct svg	*svg;
	json_int_t	 max = 1;
	char		 n[24];
	size_t		 i = 0;
	double		 y, w;

	if (json_object_size(obj) == 0) {
		render_par(r, "None.");
		return;
	}
	json_object_foreach((json_t *)obj, k, v)
		if (json_integer_value(v) > max)
			max = json_integer_value(v);
	if ((svg = render_figure_begin(r, caption, BC_WIDTH,
	    (double)json_object_size(obj) * BC_ROW + 8)) != NULL) {
		json_object_foreach((json_t *)obj, k, v) {
			y = 4 + (double)i++ * BC_ROW;
			w = (BC_WIDTH - BC_LABEL - 50) *
			    (double)json_integer_value(v) / (double)max;
			svg_text(svg, BC_LABEL - 6, y + 13, "end", "label",
			    findings ? render_finding_type(k, 1) : k);
			svg_rect(svg, BC_LABEL, y, w, 16, "count", "#5c6bc0",
			    NULL);
			snprintf(n, sizeof n, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
			svg_text(svg, BC_LABEL + w + 4, y + 13, "start",
			    "value", n);
		}
		render_figure_end(r);
	}
	render_table_begin(r, 2, titles, flags);
	json_object_foreach((json_t *)obj, k, v) {
		snprintf(n, sizeof n, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		row[0] = findings ? render_finding_type(k, 0) : k;
		row[1] = n;
		render_row(r, RENDER_PLAIN, row);
	}
	render_table_end(r);
}

static void
by_criterion(struct render *r, const json_t *list)
{
	static const char *const titles[] = { "CRITERION", "COUNT",
	    "BY TYPE" };
	static const int flags[] = { 0, RENDER_RIGHT, 0 };
	const json_t	*c, *v;
	const char	*row[3], *k;
	char		 n[24], *types, *t;
	size_t		 i;

	if (json_array_size(list) == 0)
		return;
	render_table_begin(r, 3, titles, flags);
	json_array_foreach(list, i, c) {
		snprintf(n, sizeof n, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(c, "count")));
		types = strdup("");
		json_object_foreach(json_object_get(c, "by_type"), k, v) {
			if (types == NULL)
				break;
			if (asprintf(&t, "%s%s%" JSON_INTEGER_FORMAT " %s",
			    types, types[0] ? ", " : "",
			    json_integer_value(v), render_finding_type(k,
			    json_integer_value(v) != 1)) == -1)
				t = NULL;
			free(types);
			types = t;
		}
		row[0] = render_str(c, "criterion");
		row[1] = n;
		row[2] = types;
		render_row(r, RENDER_PLAIN, row);
		free(types);
	}
	render_table_end(r);
}

/* The overdue actions: a table of ID, AUDIT, FINDING, OWNER, DUE, DAYS. */
static void
overdue_table(struct render *r, const json_t *items)
{
	static const char *const titles[] = { "ID", "AUDIT", "FINDING",
	    "OWNER", "DUE", "DAYS" };
	static const int flags[] = { 0, 0, 0, 0, 0, RENDER_RIGHT };
	const json_t	*a;
	const char	*row[6];
	char		 days[24];
	size_t		 i;

	render_table_begin(r, 6, titles, flags);
	json_array_foreach(items, i, a) {
		snprintf(days, sizeof days, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(a, "days")));
		row[0] = render_str(a, "id");
		row[1] = render_str(a, "audit");
		row[2] = render_str(a, "finding");
		row[3] = render_str(a, "owner");
		row[4] = render_str(a, "due");
		row[5] = days;
		render_row(r, RENDER_BAD, row);
	}
	render_table_end(r);
}

int
render_programme(FILE *fp, enum render_format f, const json_t *doc,
    int utf8)
{
	const json_t	*audits = json_object_get(doc, "audits"), *a;
	const json_t	*fi = json_object_get(doc, "findings");
	const json_t	*ac = json_object_get(doc, "actions");
	const json_t	*period = json_object_get(doc, "period");
	const json_t	*overdue = json_object_get(ac, "overdue");
	struct render	*r;
	char		*title, *cal, *fail, pbuf[32];
	size_t		 i, nfail = 0;

	if (render_str(doc, "programme") == NULL || !json_is_array(audits) ||
	    !json_is_object(fi) || !json_is_object(ac) ||
	    render_str(period, "from") == NULL ||
	    render_str(period, "to") == NULL)
		return RENDER_MALFORMED;
	if (asprintf(&title, "Audit programme %s: %s", render_str(doc,
	    "programme"), render_str(doc, "title") ? render_str(doc,
	    "title") : "") == -1)
		return -1;
	r = render_begin(fp, f, title, utf8);
	free(title);
	if (r == NULL)
		return -1;
	snprintf(pbuf, sizeof pbuf, "%s to %s", render_str(period, "from"),
	    render_str(period, "to"));
	render_field(r, "Period", pbuf);
	render_field(r, "As of", render_str(doc, "as_of"));

	render_heading(r, 2, "Audits");
	json_array_foreach(audits, i, a)
		if (!json_is_true(json_object_get(a, "compliant")))
			nfail++;
	if (nfail > 0) {
		render_list_begin(r, RENDER_BAD, "Teams that fail the check:");
		json_array_foreach(audits, i, a) {
			if (json_is_true(json_object_get(a, "compliant")))
				continue;
			fail = render_join(json_object_get(a, "failing"),
			    ", ");
			render_itemf(r, "%s: %s", render_str(a, "id") ?
			    render_str(a, "id") : "?", fail && fail[0] ? fail :
			    "not compliant");
			free(fail);
		}
		render_list_end(r);
	}
	if (json_array_size(audits) == 0)
		render_par(r, "No audits.");
	else {
		timeline(r, doc);
		audits_table(r, audits);
		if (f != RENDER_HTML) {
			if ((cal = render_calendar(audits, render_str(period,
			    "from"), render_str(period, "to"), utf8)) != NULL)
				render_pre(r, cal);
			free(cal);
		}
	}

	render_heading(r, 2, "Findings");
	counts(r, json_object_get(fi, "by_type"), "Findings by type", "TYPE",
	    1);
	render_heading(r, 3, "By criterion");
	by_criterion(r, json_object_get(fi, "by_criterion"));

	render_heading(r, 2, "Corrective actions");
	counts(r, json_object_get(ac, "by_status"), "Actions by state",
	    "STATE", 0);
	if (json_array_size(overdue) > 0) {
		render_list_begin(r, RENDER_BAD, NULL);
		render_itemf(r, "%zu action%s overdue", json_array_size(overdue),
		    json_array_size(overdue) == 1 ? " is" : "s are");
		render_list_end(r);
		overdue_table(r, overdue);
	} else
		render_par(r, "No action is overdue.");
	return render_end(r);
}
