/*
 * html.c: the HTML backend (render.h): one self-contained HTML5 page,
 * its CSS inline, no script, nothing fetched, A4 print rules; written so
 * that it is also well-formed XML (void elements closed, every attribute
 * quoted), which lets a plain XML parser check it. It owns
 * render_html_text(), the one escaping of every string that reaches HTML
 * or SVG: this file and svg.c write callers' text through it only.
 */
#include <stdio.h>

#include "render/render-int.h"

/*
 * Colours by tone and the SVG figures' classes; print keeps colours
 * (print-color-adjust) as the figures and banners rest on them.
 */
static const char html_css[] =
    "@page{size:A4;margin:16mm 14mm}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{font:10.5pt/1.4 system-ui,-apple-system,'Segoe UI',Roboto,"
    "sans-serif;color:#1b1f24;max-width:190mm;margin:1.5em auto;"
    "padding:0 1em}\n"
    "h1{font-size:1.6em;border-bottom:2px solid #1b1f24;padding-bottom:.2em}\n"
    "h2{font-size:1.25em;margin-top:1.4em;border-bottom:1px solid #c9ced6}\n"
    "h3{font-size:1.05em}\n"
    "h2,h3{break-after:avoid;page-break-after:avoid}\n"
    "table{border-collapse:collapse;width:100%;margin:.5em 0;"
    "font-size:.95em}\n"
    "th,td{border:1px solid #c9ced6;padding:.25em .4em;text-align:left;"
    "vertical-align:top}\n"
    "th{background:#eef1f5}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    "thead{display:table-header-group}\n"
    "tr.good td{background:#e8f5e9}tr.warn td{background:#fff8e1}"
    "tr.bad td{background:#fdecea}\n"
    ".field{margin:.15em 0}.field .label{font-weight:600;"
    "display:inline-block;min-width:11em}\n"
    ".banner{border:2px solid;border-radius:4px;padding:.4em .8em;"
    "margin:.8em 0;break-inside:avoid}\n"
    ".banner.warn{border-color:#e0a800;background:#fff8e1}\n"
    ".banner.bad{border-color:#c62828;background:#fdecea}\n"
    ".banner.good{border-color:#2e7d32;background:#e8f5e9}\n"
    ".banner strong{display:block}\n"
    "pre{font:9pt/1.3 ui-monospace,Menlo,Consolas,monospace;"
    "background:#f6f8fa;padding:.5em;overflow-x:auto}\n"
    "figure{margin:.8em 0;break-inside:avoid}\n"
    "figcaption{font-size:.9em;color:#57606a}\n"
    "svg{max-width:100%;height:auto;font-family:inherit}\n"
    "svg text{font-size:10px;fill:#1b1f24}\n"
    "svg .tick{stroke:#c9ced6;stroke-width:1}\n"
    "svg .axis{stroke:#57606a;stroke-width:1}\n"
    "svg .marked{stroke:#c62828;stroke-width:2}\n"
    "svg .derived{stroke:#57606a;stroke-width:1;stroke-dasharray:3 2}\n"
    "footer{margin-top:2em;font-size:.85em;color:#57606a}\n"
    "@media print{body{margin:0;max-width:none;padding:0}"
    "a{color:inherit;text-decoration:none}}\n";

int
render_html_text(FILE *fp, const char *s)
{
	const unsigned char	*p;
	int			 rc = 0;

	for (p = (const unsigned char *)s; *p != '\0' && rc >= 0; p++) {
		switch (*p) {
		case '&':
			rc = fputs("&amp;", fp);
			break;
		case '<':
			rc = fputs("&lt;", fp);
			break;
		case '>':
			rc = fputs("&gt;", fp);
			break;
		case '"':
			rc = fputs("&quot;", fp);
			break;
		case '\'':
			rc = fputs("&#39;", fp);
			break;
		default:
			/* Not allowed in HTML (nor XML 1.0): dropped. */
			if ((*p < 0x20 && *p != '\t' && *p != '\n') ||
			    *p == 0x7f)
				break;
			rc = fputc(*p, fp);
			break;
		}
	}
	return rc < 0 ? -1 : 0;
}

static const char *
html_tone(enum render_tone t)
{
	switch (t) {
	case RENDER_GOOD:
		return "good";
	case RENDER_WARN:
		return "warn";
	case RENDER_BAD:
		return "bad";
	default:
		return NULL;
	}
}

static void
html_begin(struct render *r, const char *title)
{
	render_puts(r, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\"/>\n<title>");
	render_html(r, title);
	render_printf(r, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
	    "<main>\n<h1>", html_css);
	render_html(r, title);
	render_puts(r, "</h1>\n");
}

static void
html_end(struct render *r)
{
	render_puts(r, "</main>\n</body>\n</html>\n");
}

static void
html_heading(struct render *r, int level, const char *text)
{
	render_printf(r, "<h%d>", level);
	render_html(r, text);
	render_printf(r, "</h%d>\n", level);
}

static void
html_par(struct render *r, const char *text)
{
	render_puts(r, "<p>");
	render_html(r, text);
	render_puts(r, "</p>\n");
}

static void
html_field(struct render *r, const char *label, const char *value)
{
	render_puts(r, "<div class=\"field\"><span class=\"label\">");
	render_html(r, label);
	render_puts(r, "</span> ");
	render_html(r, value);
	render_puts(r, "</div>\n");
}

static void
html_list_begin(struct render *r, const char *title)
{
	const char	*cls = html_tone(r->tone);

	if (cls != NULL) {
		render_printf(r, "<div class=\"banner %s\" role=\"%s\">\n", cls,
		    r->tone == RENDER_GOOD ? "status" : "alert");
		if (title != NULL) {
			render_puts(r, "<strong>");
			render_html(r, title);
			render_puts(r, "</strong>\n");
		}
	} else if (title != NULL) {
		render_puts(r, "<p>");
		render_html(r, title);
		render_puts(r, "</p>\n");
	}
	render_puts(r, "<ul>\n");
}

static void
html_item(struct render *r, const char *text)
{
	render_puts(r, "<li>");
	render_html(r, text);
	render_puts(r, "</li>\n");
}

static void
html_list_end(struct render *r)
{
	render_puts(r, "</ul>\n");
	if (html_tone(r->tone) != NULL)
		render_puts(r, "</div>\n");
}

static void
html_table_begin(struct render *r)
{
	size_t	c;

	render_puts(r, "<table>\n<thead><tr>");
	for (c = 0; c < r->ncols; c++) {
		render_puts(r, "<th scope=\"col\">");
		render_html(r, r->titles[c]);
		render_puts(r, "</th>");
	}
	render_puts(r, "</tr></thead>\n<tbody>\n");
}

static void
html_row(struct render *r, enum render_tone tone, const char *const *cells)
{
	const char	*cls = html_tone(tone);
	size_t		 c;

	if (cls != NULL)
		render_printf(r, "<tr class=\"%s\">", cls);
	else
		render_puts(r, "<tr>");
	for (c = 0; c < r->ncols; c++) {
		render_puts(r, r->flags[c] & RENDER_RIGHT ?
		    "<td class=\"num\">" : "<td>");
		render_html(r, cells[c]);
		render_puts(r, "</td>");
	}
	render_puts(r, "</tr>\n");
}

static void
html_table_end(struct render *r)
{
	render_puts(r, "</tbody>\n</table>\n");
}

static void
html_pre(struct render *r, const char *text)
{
	render_puts(r, "<pre>");
	render_html(r, text);
	render_puts(r, "</pre>\n");
}

static int
html_figure_begin(struct render *r, const char *caption, double w, double h)
{
	render_puts(r, "<figure>\n<figcaption>");
	render_html(r, caption);
	render_puts(r, "</figcaption>\n");
	svg_begin(&r->svg, r->fp, w, h, caption);
	return 1;
}

static void
html_figure_end(struct render *r)
{
	if (svg_end(&r->svg) == -1)
		r->bad = 1;
	render_puts(r, "</figure>\n");
}

const struct render_ops render_html_ops = {
	.begin = html_begin,
	.end = html_end,
	.heading = html_heading,
	.par = html_par,
	.field = html_field,
	.list_begin = html_list_begin,
	.item = html_item,
	.list_end = html_list_end,
	.table_begin = html_table_begin,
	.row = html_row,
	.table_end = html_table_end,
	.pre = html_pre,
	.figure_begin = html_figure_begin,
	.figure_end = html_figure_end,
};
