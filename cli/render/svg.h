/*
 * svg.h: a small SVG writer for the figures of the HTML documents
 * (render.h): rectangles, text, lines and groups, coordinates as numbers
 * (at most two decimals), every string (text, class, colour, tooltip)
 * escaped by render_html_text(). It writes straight to the page; errors
 * are sticky and end up in the document's.
 */
#ifndef SVG_H
#define SVG_H

#include <stdio.h>

struct svg {
	FILE	*fp;
	int	 depth;		/* open groups */
	int	 bad;		/* a write failed */
};

/* <svg> of width x height with an accessible label (aria-label). */
void	svg_begin(struct svg *, FILE *, double w, double h,
	    const char *label);
/* Closes the open groups and </svg>: 0, or -1 if a write failed. */
int	svg_end(struct svg *);

/* cls: a class (CSS) or NULL; fill: a colour or NULL (the class's). */
void	svg_group(struct svg *, const char *cls);
void	svg_group_end(struct svg *);
/* title (NULL: none): the tooltip, a <title> inside the rectangle. */
void	svg_rect(struct svg *, double x, double y, double w, double h,
	    const char *cls, const char *fill, const char *title);
void	svg_line(struct svg *, double x1, double y1, double x2, double y2,
	    const char *cls);
/* anchor: "start", "middle" or "end". */
void	svg_text(struct svg *, double x, double y, const char *anchor,
	    const char *cls, const char *text);

#endif
