/*
 * text.c: the terminal backend (render.h): headings underlined, fields
 * aligned, lists and banners as indented lines, tables by libsmartcols
 * (output_grid_write: a table on a terminal, tab-separated lines in a
 * pipe). Server text never reaches the terminal raw: control characters
 * are written as \xHH (text_safe).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "render/render-int.h"

/*
 * s with control characters as \xHH, but for newlines when lines is set;
 * malloc'd, NULL if out of memory.
 */
static char *
text_safe(const char *s, int lines)
{
	const unsigned char	*p;
	char			*out, *o;

	if ((out = malloc(strlen(s) * 4 + 1)) == NULL)
		return NULL;
	for (o = out, p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p < 0x20 && !(lines && *p == '\n')) || *p == 0x7f)
			o += sprintf(o, "\\x%02x", *p);
		else
			*o++ = (char)*p;
	}
	*o = '\0';
	return out;
}

static void
text_put(struct render *r, const char *s)
{
	char	*t = text_safe(s, 1);

	if (t == NULL)
		r->bad = 1;
	else
		render_puts(r, t);
	free(t);
}

static void
text_rule(struct render *r, const char *s, const char *ch)
{
	size_t	n = output_width(s), i;

	for (i = 0; i < n; i++)
		render_puts(r, ch);
	render_puts(r, "\n");
}

static void
text_begin(struct render *r, const char *title)
{
	text_put(r, title);
	render_puts(r, "\n");
	text_rule(r, title, "=");
}

static void
text_end(struct render *r)
{
	(void)r;
}

static void
text_heading(struct render *r, int level, const char *text)
{
	render_puts(r, "\n");
	text_put(r, text);
	render_puts(r, "\n");
	if (level <= 2)
		text_rule(r, text, "-");
}

static void
text_par(struct render *r, const char *text)
{
	text_put(r, text);
	render_puts(r, "\n");
}

#define LABEL_WIDTH	16

static void
text_field(struct render *r, const char *label, const char *value)
{
	size_t	n = output_width(label);

	text_put(r, label);
	render_puts(r, ":");
	for (n++; n < LABEL_WIDTH; n++)
		render_puts(r, " ");
	render_puts(r, " ");
	text_put(r, value);
	render_puts(r, "\n");
}

static void
text_list_begin(struct render *r, const char *title)
{
	if (r->tone == RENDER_BAD || r->tone == RENDER_WARN)
		render_puts(r, "!! ");
	if (title != NULL) {
		text_put(r, title);
		render_puts(r, "\n");
	}
}

static void
text_item(struct render *r, const char *text)
{
	render_puts(r, r->tone != RENDER_PLAIN ? "!!   " : "  - ");
	text_put(r, text);
	render_puts(r, "\n");
}

static void
text_list_end(struct render *r)
{
	(void)r;
}

static void
text_table_begin(struct render *r)
{
	r->cells = NULL;
	r->nrows = r->maxrows = 0;
}

static void
text_row(struct render *r, enum render_tone tone, const char *const *cells)
{
	char	**grown;
	size_t	  c, max;

	(void)tone;
	if (r->nrows == r->maxrows) {
		max = r->maxrows ? r->maxrows * 2 : 16;
		if ((grown = realloc(r->cells, max * r->ncols *
		    sizeof *grown)) == NULL) {
			r->bad = 1;
			return;
		}
		r->cells = grown;
		r->maxrows = max;
	}
	for (c = 0; c < r->ncols; c++)
		if ((r->cells[r->nrows * r->ncols + c] = text_safe(cells[c], 0)) ==
		    NULL)
			r->bad = 1;
	r->nrows++;
}

static void
text_table_end(struct render *r)
{
	struct output_grid	 g;
	int			 flags[RENDER_COLS_MAX];
	size_t			 c;

	for (c = 0; c < r->ncols; c++)
		flags[c] = (r->flags[c] & RENDER_RIGHT) ? OUTPUT_RIGHT :
		    OUTPUT_TRUNC;
	g.ncols = r->ncols;
	g.titles = r->titles;
	g.flags = flags;
	g.nrows = r->nrows;
	g.cells = r->cells;
	if (r->nrows == 0)
		render_puts(r, "  (none)\n");
	else if (!r->bad) {
		fflush(r->fp);
		if (output_grid_write(&output_table, r->fp, &g) == -1)
			r->bad = 1;
	}
	for (c = 0; c < r->nrows * r->ncols; c++)
		free(r->cells[c]);
	free(r->cells);
	r->cells = NULL;
	r->nrows = r->maxrows = 0;
}

static void
text_pre(struct render *r, const char *text)
{
	text_put(r, text);
	if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
		render_puts(r, "\n");
}

static int
text_figure_begin(struct render *r, const char *caption, double w, double h)
{
	(void)r;
	(void)caption;
	(void)w;
	(void)h;
	return 0;
}

static void
text_figure_end(struct render *r)
{
	(void)r;
}

const struct render_ops render_text_ops = {
	.begin = text_begin,
	.end = text_end,
	.heading = text_heading,
	.par = text_par,
	.field = text_field,
	.list_begin = text_list_begin,
	.item = text_item,
	.list_end = text_list_end,
	.table_begin = text_table_begin,
	.row = text_row,
	.table_end = text_table_end,
	.pre = text_pre,
	.figure_begin = text_figure_begin,
	.figure_end = text_figure_end,
};
