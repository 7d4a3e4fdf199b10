/*
 * md.c: the Markdown backend (render.h): CommonMark with pipe tables (as
 * GitHub and pandoc read them). Every string goes through md_text, which
 * backslash-escapes what Markdown would read as markup, raw HTML
 * included, so a finding's statement stays text wherever it is shown.
 * Markdown has no figures: the tables beside them carry their data.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "render/render-int.h"

/*
 * s as Markdown text on one line: markup characters (and < > &, which
 * would open raw HTML or an entity) backslash-escaped; a leading list or
 * heading marker escaped; newlines and tabs as spaces, other control
 * characters dropped.
 */
static void
md_text(struct render *r, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	const unsigned char	*d;
	int			 rc = 0;

	/* "- x", "+ x", "1. x", "1) x" would start a list. */
	if (*p == '-' || *p == '+') {
		rc = fputc('\\', r->fp);
	} else if (isdigit(*p)) {
		for (d = p; isdigit(*d); d++)
			;
		if (*d == '.' || *d == ')') {
			for (; p < d && rc >= 0; p++)
				rc = fputc(*p, r->fp);
			rc = fputc('\\', r->fp);
		}
	}
	for (; *p != '\0' && rc >= 0; p++) {
		if (strchr("\\`*_[]<>|#~&!{}", *p) != NULL) {
			if ((rc = fputc('\\', r->fp)) >= 0)
				rc = fputc(*p, r->fp);
		} else if (*p == '\n' || *p == '\r' || *p == '\t')
			rc = fputc(' ', r->fp);
		else if (*p < 0x20 || *p == 0x7f)
			continue;
		else
			rc = fputc(*p, r->fp);
	}
	if (rc < 0)
		r->bad = 1;
}

static void
md_begin(struct render *r, const char *title)
{
	render_puts(r, "# ");
	md_text(r, title);
	render_puts(r, "\n\n");
}

static void
md_end(struct render *r)
{
	(void)r;
}

static void
md_heading(struct render *r, int level, const char *text)
{
	render_printf(r, "%.*s ", level, "####");
	md_text(r, text);
	render_puts(r, "\n\n");
}

static void
md_par(struct render *r, const char *text)
{
	md_text(r, text);
	render_puts(r, "\n\n");
}

static void
md_field(struct render *r, const char *label, const char *value)
{
	/* One paragraph each: consecutive lines would run together. */
	render_puts(r, "**");
	md_text(r, label);
	render_puts(r, ":** ");
	md_text(r, value);
	render_puts(r, "\n\n");
}

/* A banner is a block quote headed by its title in bold. */
static void
md_list_begin(struct render *r, const char *title)
{
	const char	*q = r->tone != RENDER_PLAIN ? "> " : "";

	if (title != NULL) {
		render_printf(r, "%s**", q);
		md_text(r, title);
		render_printf(r, "**\n%s\n", r->tone != RENDER_PLAIN ? ">" :
		    "");
	}
}

static void
md_item(struct render *r, const char *text)
{
	render_printf(r, "%s- ", r->tone != RENDER_PLAIN ? "> " : "");
	md_text(r, text);
	render_puts(r, "\n");
}

static void
md_list_end(struct render *r)
{
	render_puts(r, "\n");
}

static void
md_table_begin(struct render *r)
{
	size_t	c;

	render_puts(r, "|");
	for (c = 0; c < r->ncols; c++) {
		render_puts(r, " ");
		md_text(r, r->titles[c]);
		render_puts(r, " |");
	}
	render_puts(r, "\n|");
	for (c = 0; c < r->ncols; c++)
		render_puts(r, r->flags[c] & RENDER_RIGHT ? " ---: |" :
		    " --- |");
	render_puts(r, "\n");
}

static void
md_row(struct render *r, enum render_tone tone, const char *const *cells)
{
	size_t	c;

	(void)tone;
	render_puts(r, "|");
	for (c = 0; c < r->ncols; c++) {
		render_puts(r, " ");
		md_text(r, cells[c]);
		render_puts(r, " |");
	}
	render_puts(r, "\n");
}

static void
md_table_end(struct render *r)
{
	render_puts(r, "\n");
}

/* A fence longer than any run of backticks in text: it cannot close. */
static void
md_pre(struct render *r, const char *text)
{
	size_t		 run = 0, max = 0, n = strlen(text);
	const char	*p;

	for (p = text; *p != '\0'; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > max)
			max = run;
	}
	for (run = 0; run < (max < 3 ? 3 : max + 1); run++)
		render_puts(r, "`");
	render_puts(r, "text\n");
	if (fwrite(text, 1, n, r->fp) != n)
		r->bad = 1;
	if (n > 0 && text[n - 1] != '\n')
		render_puts(r, "\n");
	for (run = 0; run < (max < 3 ? 3 : max + 1); run++)
		render_puts(r, "`");
	render_puts(r, "\n\n");
}

static int
md_figure_begin(struct render *r, const char *caption, double w, double h)
{
	(void)r;
	(void)caption;
	(void)w;
	(void)h;
	return 0;
}

static void
md_figure_end(struct render *r)
{
	(void)r;
}

const struct render_ops render_md_ops = {
	.begin = md_begin,
	.end = md_end,
	.heading = md_heading,
	.par = md_par,
	.field = md_field,
	.list_begin = md_list_begin,
	.item = md_item,
	.list_end = md_list_end,
	.table_begin = md_table_begin,
	.row = md_row,
	.table_end = md_table_end,
	.pre = md_pre,
	.figure_begin = md_figure_begin,
	.figure_end = md_figure_end,
};
