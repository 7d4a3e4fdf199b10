/*
 * render.h: documents for people, written once and drawn three ways: a
 * terminal view (plain text, tables by libsmartcols), Markdown, and one
 * self-contained HTML5 page (inline CSS, no scripts, nothing fetched,
 * A4 print rules) with inline SVG figures.
 *
 * A command says what its document holds (headings, paragraphs, fields,
 * lists, banners, tables, preformatted blocks, figures) and never how:
 * every string it passes is plain text, and the backend (text.c, md.c,
 * html.c) escapes it. In HTML and SVG all text goes through the one
 * function render_html_text(); Markdown through md.c's, the terminal
 * through text.c's (control characters as \xHH). svg.c draws the figures.
 *
 * Errors are sticky: a failed write or allocation marks the document and
 * render_end() reports it, so commands do not check every call.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>
#include <stdio.h>

enum render_format {
	RENDER_TEXT = 0,	/* a terminal (or a pipe): plain text */
	RENDER_MD,		/* Markdown (CommonMark with pipe tables) */
	RENDER_HTML		/* one HTML5 page, SVG inline */
};

/* What a table row, a list or a banner is about (HTML colours it). */
enum render_tone {
	RENDER_PLAIN = 0,
	RENDER_GOOD,
	RENDER_WARN,		/* needs attention */
	RENDER_BAD		/* wrong: missing, overdue, failing */
};

/* The choices of --format, NULL-ended, for option tables. */
extern const char *const render_format_names[];

/* "md" / "html" (NULL: RENDER_TEXT) into *f. 0, or -1 if unknown. */
int	render_format_parse(const char *, enum render_format *);

struct render;
struct svg;

/*
 * A new document of title on fp. utf8 picks the terminal's marks (text
 * only). NULL when out of memory (nothing written).
 */
struct render	*render_begin(FILE *, enum render_format, const char *title,
		    int utf8);
/* Close the document and free it: 0, or -1 if anything failed. */
int		 render_end(struct render *);

enum render_format render_format_of(const struct render *);
int		 render_utf8(const struct render *);

/* Level 1 is the title's level; sections are 2, subsections 3. */
void	render_heading(struct render *, int level, const char *text);
/* A paragraph; render_parf formats it first (the result is text). */
void	render_par(struct render *, const char *text);
void	render_parf(struct render *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* "Label: value" in a block of such pairs; NULL or "" value: "-". */
void	render_field(struct render *, const char *label, const char *value);

/*
 * A list: plain (RENDER_PLAIN) or a banner (another tone) headed by title
 * (NULL: none). render_item adds one item; render_list_end closes it.
 */
void	render_list_begin(struct render *, enum render_tone,
	    const char *title);
void	render_item(struct render *, const char *text);
void	render_itemf(struct render *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	render_list_end(struct render *);

/* A table of ncols columns (at most RENDER_COLS_MAX); cells are text. */
#define RENDER_COLS_MAX	16
#define RENDER_RIGHT	0x1	/* a column of numbers */
void	render_table_begin(struct render *, size_t ncols,
	    const char *const *titles, const int *flags);
void	render_row(struct render *, enum render_tone,
	    const char *const *cells);
void	render_table_end(struct render *);

/* Preformatted text (a calendar): kept as it is, monospace. */
void	render_pre(struct render *, const char *text);

/*
 * A figure of width x height user units with a caption: the SVG to draw
 * into, or NULL when the format has no figures (the text and Markdown
 * views: the tables beside a figure carry its data). Draw with svg.h,
 * then render_figure_end.
 */
struct svg	*render_figure_begin(struct render *, const char *caption,
		    double width, double height);
void		 render_figure_end(struct render *);

/*
 * The one escaping of HTML and SVG: s written to fp with & < > " '
 * as character references and control characters other than tab and
 * newline dropped (they are not allowed in HTML). Returns -1 on a write
 * error.
 */
int	render_html_text(FILE *, const char *s);

#endif
