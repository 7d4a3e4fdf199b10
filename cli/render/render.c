/*
 * render.c: the document (render.h): it owns struct render, keeps the
 * blocks well nested (an open list or table is closed before the next
 * block) and hands each block to its format's backend (text.c, md.c,
 * html.c), which alone knows the format's spelling and escaping.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "render/docs.h"
#include "render/render-int.h"

const char *const render_format_names[] = { "html", "md", NULL };

int
render_format_parse(const char *s, enum render_format *f)
{
	if (s == NULL)
		*f = RENDER_TEXT;
	else if (strcmp(s, "md") == 0)
		*f = RENDER_MD;
	else if (strcmp(s, "html") == 0)
		*f = RENDER_HTML;
	else
		return -1;
	return 0;
}

void
render_printf(struct render *r, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (vfprintf(r->fp, fmt, ap) < 0)
		r->bad = 1;
	va_end(ap);
}

void
render_puts(struct render *r, const char *s)
{
	if (fputs(s, r->fp) == EOF)
		r->bad = 1;
}

void
render_html(struct render *r, const char *s)
{
	if (render_html_text(r->fp, s != NULL ? s : "") == -1)
		r->bad = 1;
}

struct render *
render_begin(FILE *fp, enum render_format f, const char *title, int utf8)
{
	static const struct render_ops *const ops[] = {
		[RENDER_TEXT] = &render_text_ops,
		[RENDER_MD] = &render_md_ops,
		[RENDER_HTML] = &render_html_ops,
	};
	struct render	*r;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	r->ops = ops[f];
	r->fp = fp;
	r->format = f;
	r->utf8 = utf8;
	r->ops->begin(r, title != NULL ? title : "");
	return r;
}

/* Close what is open before another block starts. */
static void
render_close_blocks(struct render *r)
{
	if (r->inlist)
		render_list_end(r);
	if (r->intable)
		render_table_end(r);
	if (r->infigure)
		render_figure_end(r);
}

int
render_end(struct render *r)
{
	int	bad;

	if (r == NULL)
		return -1;
	render_close_blocks(r);
	r->ops->end(r);
	if (fflush(r->fp) == EOF || ferror(r->fp))
		r->bad = 1;
	bad = r->bad;
	free(r);
	return bad ? -1 : 0;
}

enum render_format
render_format_of(const struct render *r)
{
	return r->format;
}

int
render_utf8(const struct render *r)
{
	return r->utf8;
}

void
render_heading(struct render *r, int level, const char *text)
{
	render_close_blocks(r);
	r->ops->heading(r, level < 1 ? 1 : level > 4 ? 4 : level,
	    text != NULL ? text : "");
}

void
render_par(struct render *r, const char *text)
{
	render_close_blocks(r);
	r->ops->par(r, text != NULL ? text : "");
}

/* vsnprintf into a malloc'd string; NULL (and r bad) if out of memory. */
static char *
render_vformat(struct render *r, const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) == -1) {
		r->bad = 1;
		return NULL;
	}
	return s;
}

void
render_parf(struct render *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = render_vformat(r, fmt, ap);
	va_end(ap);
	if (s != NULL)
		render_par(r, s);
	free(s);
}

void
render_field(struct render *r, const char *label, const char *value)
{
	render_close_blocks(r);
	r->ops->field(r, label, value != NULL && value[0] != '\0' ? value :
	    "-");
}

void
render_list_begin(struct render *r, enum render_tone tone, const char *title)
{
	render_close_blocks(r);
	r->inlist = 1;
	r->tone = tone;
	r->ops->list_begin(r, title);
}

void
render_item(struct render *r, const char *text)
{
	if (!r->inlist)
		render_list_begin(r, RENDER_PLAIN, NULL);
	r->ops->item(r, text != NULL ? text : "");
}

void
render_itemf(struct render *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = render_vformat(r, fmt, ap);
	va_end(ap);
	if (s != NULL)
		render_item(r, s);
	free(s);
}

void
render_list_end(struct render *r)
{
	if (!r->inlist)
		return;
	r->ops->list_end(r);
	r->inlist = 0;
	r->tone = RENDER_PLAIN;
}

void
render_table_begin(struct render *r, size_t ncols, const char *const *titles,
    const int *flags)
{
	size_t	c;

	render_close_blocks(r);
	if (ncols > RENDER_COLS_MAX) {
		r->bad = 1;
		ncols = RENDER_COLS_MAX;
	}
	r->intable = 1;
	r->ncols = ncols;
	for (c = 0; c < ncols; c++) {
		r->titles[c] = titles[c];
		r->flags[c] = flags != NULL ? flags[c] : 0;
	}
	r->ops->table_begin(r);
}

void
render_row(struct render *r, enum render_tone tone, const char *const *cells)
{
	const char	*row[RENDER_COLS_MAX];
	size_t		 c;

	if (!r->intable)
		return;
	for (c = 0; c < r->ncols; c++)
		row[c] = cells[c] != NULL ? cells[c] : "";
	r->ops->row(r, tone, row);
}

void
render_table_end(struct render *r)
{
	if (!r->intable)
		return;
	r->ops->table_end(r);
	r->intable = 0;
	r->ncols = 0;
}

void
render_pre(struct render *r, const char *text)
{
	render_close_blocks(r);
	r->ops->pre(r, text != NULL ? text : "");
}

struct svg *
render_figure_begin(struct render *r, const char *caption, double width,
    double height)
{
	render_close_blocks(r);
	if (!r->ops->figure_begin(r, caption != NULL ? caption : "", width,
	    height))
		return NULL;
	r->infigure = 1;
	return &r->svg;
}

void
render_figure_end(struct render *r)
{
	if (!r->infigure)
		return;
	r->infigure = 0;
	r->ops->figure_end(r);
}

const char *
render_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

void
render_strings(struct render *r, const json_t *a)
{
	const json_t	*v;
	size_t		 i;

	if (json_array_size(a) == 0) {
		render_par(r, "Not stated.");
		return;
	}
	json_array_foreach(a, i, v)
		render_item(r, json_string_value(v));
	render_list_end(r);
}

char *
render_join(const json_t *a, const char *sep)
{
	const json_t	*v;
	size_t		 i, len = 1;
	char		*s;

	json_array_foreach(a, i, v)
		if (json_is_string(v))
			len += json_string_length(v) + strlen(sep);
	if ((s = calloc(1, len)) == NULL)
		return NULL;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			continue;
		if (s[0] != '\0')
			strcat(s, sep);
		strcat(s, json_string_value(v));
	}
	return s;
}

const char *
render_finding_type(const char *t, int plural)
{
	static const struct {
		const char	*type, *one, *many;
	} names[] = {
		{ "major_nc", "major nonconformity", "major nonconformities" },
		{ "minor_nc", "minor nonconformity", "minor nonconformities" },
		{ "observation", "observation", "observations" },
		{ "ofi", "opportunity for improvement",
		    "opportunities for improvement" },
		{ "good_practice", "good practice", "good practices" },
	};
	size_t	i;

	for (i = 0; t != NULL && i < sizeof names / sizeof *names; i++)
		if (strcmp(t, names[i].type) == 0)
			return plural ? names[i].many : names[i].one;
	return t != NULL ? t : "?";
}
