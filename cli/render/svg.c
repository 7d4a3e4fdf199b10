/*
 * svg.c: the SVG writer (svg.h). Numbers are written by svg_num, strings
 * only through render_html_text (html.c), the one escaping of HTML and
 * SVG: nothing here writes a caller's string raw.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/render.h"
#include "render/svg.h"

static void
svg_puts(struct svg *s, const char *t)
{
	if (fputs(t, s->fp) == EOF)
		s->bad = 1;
}

/* A coordinate: at most two decimals, no trailing zeros, no "-0". */
static void
svg_num(struct svg *s, double v)
{
	char	buf[32];
	size_t	n;

	if (!isfinite(v))
		v = 0;
	snprintf(buf, sizeof buf, "%.2f", v);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	svg_puts(s, strcmp(buf, "-0") == 0 ? "0" : buf);
}

/* name="value" with value escaped; nothing when value is NULL. */
static void
svg_attr(struct svg *s, const char *name, const char *value)
{
	if (value == NULL)
		return;
	svg_puts(s, " ");
	svg_puts(s, name);
	svg_puts(s, "=\"");
	if (render_html_text(s->fp, value) == -1)
		s->bad = 1;
	svg_puts(s, "\"");
}

static void
svg_numattr(struct svg *s, const char *name, double v)
{
	svg_puts(s, " ");
	svg_puts(s, name);
	svg_puts(s, "=\"");
	svg_num(s, v);
	svg_puts(s, "\"");
}

void
svg_begin(struct svg *s, FILE *fp, double w, double h, const char *label)
{
	memset(s, 0, sizeof *s);
	s->fp = fp;
	svg_puts(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
	svg_num(s, w);
	svg_puts(s, " ");
	svg_num(s, h);
	svg_puts(s, "\"");
	svg_numattr(s, "width", w);
	svg_numattr(s, "height", h);
	svg_puts(s, " role=\"img\"");
	svg_attr(s, "aria-label", label);
	svg_puts(s, ">\n");
}

int
svg_end(struct svg *s)
{
	while (s->depth > 0)
		svg_group_end(s);
	svg_puts(s, "</svg>\n");
	return s->bad ? -1 : 0;
}

void
svg_group(struct svg *s, const char *cls)
{
	svg_puts(s, "<g");
	svg_attr(s, "class", cls);
	svg_puts(s, ">\n");
	s->depth++;
}

void
svg_group_end(struct svg *s)
{
	if (s->depth == 0)
		return;
	s->depth--;
	svg_puts(s, "</g>\n");
}

void
svg_rect(struct svg *s, double x, double y, double w, double h,
    const char *cls, const char *fill, const char *title)
{
	svg_puts(s, "<rect");
	svg_attr(s, "class", cls);
	svg_numattr(s, "x", x);
	svg_numattr(s, "y", y);
	svg_numattr(s, "width", w < 0 ? 0 : w);
	svg_numattr(s, "height", h < 0 ? 0 : h);
	svg_attr(s, "fill", fill);
	if (title == NULL) {
		svg_puts(s, "/>\n");
		return;
	}
	svg_puts(s, "><title>");
	if (render_html_text(s->fp, title) == -1)
		s->bad = 1;
	svg_puts(s, "</title></rect>\n");
}

void
svg_line(struct svg *s, double x1, double y1, double x2, double y2,
    const char *cls)
{
	svg_puts(s, "<line");
	svg_attr(s, "class", cls);
	svg_numattr(s, "x1", x1);
	svg_numattr(s, "y1", y1);
	svg_numattr(s, "x2", x2);
	svg_numattr(s, "y2", y2);
	svg_puts(s, "/>\n");
}

void
svg_text(struct svg *s, double x, double y, const char *anchor,
    const char *cls, const char *text)
{
	svg_puts(s, "<text");
	svg_attr(s, "class", cls);
	svg_numattr(s, "x", x);
	svg_numattr(s, "y", y);
	svg_attr(s, "text-anchor", anchor);
	svg_puts(s, ">");
	if (render_html_text(s->fp, text != NULL ? text : "") == -1)
		s->bad = 1;
	svg_puts(s, "</text>\n");
}
