/*
 * matrix.c: the competence matrix (GET /v1/reports/matrix) as a heatmap,
 * auditors down and areas across, a colour per level, with a legend.
 * What the matrix answers per cell is its level and the record it rests
 * on (evidence, "evaluations/ID" or "qualifications/ID"): a level that
 * only a qualification gives (no evaluation assessed the area) is drawn
 * with a dashed outline; a cell whose evidence carries an "expires" date
 * within MATRIX_EXPIRING days of the report's day is outlined in red.
 * Markdown gets the same as a table of level names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/docs.h"
#include "render/svg.h"
#include "util.h"

#define MATRIX_EXPIRING	90	/* days: the expiring report's default */

static const struct {
	const char	*level;
	const char	*colour;
} levels[] = {
	{ NULL, "#eceff1" },		/* not assessed */
	{ "awareness", "#c6dbef" },
	{ "competent", "#6baed6" },
	{ "expert", "#08519c" },
};
#define NLEVELS	(sizeof levels / sizeof *levels)

static const char *
level_colour(const char *level)
{
	size_t	i;

	for (i = 1; level != NULL && i < NLEVELS; i++)
		if (strcmp(level, levels[i].level) == 0)
			return levels[i].colour;
	return level == NULL ? levels[0].colour : "#bdbdbd";
}

/* 1 when the cell's evidence expires within the window of day on. */
static int
cell_expiring(const json_t *cell, const char *on)
{
	const char	*exp = render_str(cell, "expires");
	long		 d, o;
	int		 ok1 = 0, ok2 = 0;

	if (exp == NULL || on == NULL)
		return 0;
	d = util_date_days(exp, &ok1);
	o = util_date_days(on, &ok2);
	return ok1 && ok2 && d - o <= MATRIX_EXPIRING;
}

static int
cell_derived(const json_t *cell)
{
	const char	*ev = render_str(cell, "evidence");

	return ev != NULL && strncmp(ev, "qualifications/", 15) == 0;
}

/* s cut to n bytes at a character boundary, with "..." when cut. */
static void
cut(const char *s, char *buf, size_t n)
{
	size_t	len = strlen(s);

	if (len <= n) {
		snprintf(buf, n + 1, "%s", s);
		return;
	}
	len = n - 3;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	snprintf(buf, n + 1, "%.*s...", (int)len, s);
}

#define HM_LABEL	150.0
#define HM_TOP		40.0
#define HM_COL		78.0
#define HM_ROW		20.0
#define HM_LEGEND	44.0

static void
heatmap(struct render *r, const json_t *doc)
{
	const json_t	*areas = json_object_get(doc, "areas");
	const json_t	*items = json_object_get(doc, "items"), *it, *cell;
	const char	*on = render_str(doc, "on"), *area, *level;
	struct svg	*svg;
	char		 label[64], *tip;
	size_t		 na = json_array_size(areas), ni = json_array_size(items);
	size_t		 i, c;
	double		 w = HM_LABEL + (double)(na ? na : 1) * HM_COL + 10, x, y;

	if (w < 560)
		w = 560;
	if ((svg = render_figure_begin(r, "Competence levels, auditors by "
	    "areas", w, HM_TOP + (double)ni * HM_ROW + HM_LEGEND)) == NULL)
		return;
	svg_group(svg, "areas");
	for (c = 0; c < na; c++) {
		cut(json_string_value(json_array_get(areas, c)) ?
		    json_string_value(json_array_get(areas, c)) : "?", label,
		    13);
		svg_text(svg, HM_LABEL + (double)c * HM_COL + HM_COL / 2,
		    HM_TOP - 8, "middle", "area", label);
	}
	svg_group_end(svg);
	svg_group(svg, "cells");
	json_array_foreach(items, i, it) {
		y = HM_TOP + (double)i * HM_ROW;
		cut(render_str(it, "name") ? render_str(it, "name") :
		    render_str(it, "auditor") ? render_str(it, "auditor") :
		    "?", label, 24);
		svg_text(svg, HM_LABEL - 6, y + 14, "end", "label", label);
		for (c = 0; c < na; c++) {
			area = json_string_value(json_array_get(areas, c));
			cell = json_object_get(json_object_get(it, "cells"),
			    area ? area : "");
			level = render_str(cell, "level");
			x = HM_LABEL + (double)c * HM_COL;
			if (asprintf(&tip, "%s, %s: %s%s%s%s%s",
			    render_str(it, "auditor") ? render_str(it,
			    "auditor") : "?", area ? area : "?", level ? level :
			    "not assessed", render_str(cell, "evidence") ?
			    " (" : "", render_str(cell, "evidence") ?
			    render_str(cell, "evidence") : "",
			    render_str(cell, "evidence") ? ")" : "",
			    cell_expiring(cell, on) ? ", expiring" : "") == -1)
				tip = NULL;
			svg_rect(svg, x + 1, y + 1, HM_COL - 2, HM_ROW - 2,
			    cell_derived(cell) ? "cell derived" : "cell",
			    level_colour(level), tip);
			free(tip);
			if (cell_expiring(cell, on))
				svg_rect(svg, x + 2, y + 2, HM_COL - 4,
				    HM_ROW - 4, "marked", "none", NULL);
		}
	}
	svg_group_end(svg);
	svg_group(svg, "legend");
	y = HM_TOP + (double)ni * HM_ROW + 12;
	for (i = 0; i < NLEVELS; i++) {
		x = 10 + (double)i * 100;
		svg_rect(svg, x, y, 14, 14, "swatch", levels[i].colour, NULL);
		svg_text(svg, x + 18, y + 11, "start", "legend", levels[i].level ?
		    levels[i].level : "not assessed");
	}
	x = 10 + (double)NLEVELS * 100;
	svg_rect(svg, x, y, 14, 14, "swatch derived", "none", NULL);
	svg_text(svg, x + 18, y + 11, "start", "legend", "qualification only");
	y += 18;
	svg_rect(svg, 10, y, 14, 14, "swatch marked", "none", NULL);
	svg_text(svg, 28, y + 11, "start", "legend", "evidence expiring");
	svg_group_end(svg);
	render_figure_end(r);
}

/* The matrix as a table of level names (Markdown; below the figure). */
static void
matrix_table(struct render *r, const json_t *doc)
{
	const json_t	*areas = json_object_get(doc, "areas");
	const json_t	*items = json_object_get(doc, "items"), *it, *cell;
	const char	*titles[RENDER_COLS_MAX], *row[RENDER_COLS_MAX], *area;
	const char	*on = render_str(doc, "on");
	char		 cells[RENDER_COLS_MAX][96];
	size_t		 na = json_array_size(areas), i, c;

	/* A table this wide does not read: the figure and CSV do. */
	if (na + 1 > RENDER_COLS_MAX)
		na = RENDER_COLS_MAX - 1;
	titles[0] = "AUDITOR";
	for (c = 0; c < na; c++)
		titles[c + 1] = json_string_value(json_array_get(areas, c));
	render_table_begin(r, na + 1, titles, NULL);
	json_array_foreach(items, i, it) {
		row[0] = render_str(it, "auditor");
		for (c = 0; c < na; c++) {
			area = json_string_value(json_array_get(areas, c));
			cell = json_object_get(json_object_get(it, "cells"),
			    area ? area : "");
			snprintf(cells[c], sizeof cells[c], "%s%s%s",
			    render_str(cell, "level") ? render_str(cell,
			    "level") : "-", cell_derived(cell) ?
			    " (qualification)" : "", cell_expiring(cell, on) ?
			    " (expiring)" : "");
			row[c + 1] = cells[c];
		}
		render_row(r, RENDER_PLAIN, row);
	}
	render_table_end(r);
}

int
render_matrix(FILE *fp, enum render_format f, const json_t *doc, int utf8)
{
	struct render	*r;
	char		 title[64];

	if (!json_is_array(json_object_get(doc, "areas")) ||
	    !json_is_array(json_object_get(doc, "items")))
		return RENDER_MALFORMED;
	snprintf(title, sizeof title, "Competence matrix on %.10s",
	    render_str(doc, "on") ? render_str(doc, "on") : "?");
	if ((r = render_begin(fp, f, title, utf8)) == NULL)
		return -1;
	render_par(r, "The level the latest evaluation found in each area, "
	    "or that a verified qualification gives where none did.");
	if (json_array_size(json_object_get(doc, "items")) == 0)
		render_par(r, "No active auditors.");
	else {
		heatmap(r, doc);
		if (f != RENDER_HTML)
			matrix_table(r, doc);
	}
	return render_end(r);
}
