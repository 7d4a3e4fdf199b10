/*
 * render-int.h: what the document (render.c) and its backends (text.c,
 * md.c, html.c) share; private to cli/render/. render.c owns struct
 * render and checks the calls; each backend owns only how its format
 * spells the blocks.
 */
#ifndef RENDER_INT_H
#define RENDER_INT_H

#include "render/render.h"
#include "render/svg.h"

struct render_ops {
	void	(*begin)(struct render *, const char *title);
	void	(*end)(struct render *);
	void	(*heading)(struct render *, int, const char *);
	void	(*par)(struct render *, const char *);
	void	(*field)(struct render *, const char *, const char *);
	void	(*list_begin)(struct render *, const char *);
	void	(*item)(struct render *, const char *);
	void	(*list_end)(struct render *);
	void	(*table_begin)(struct render *);
	void	(*row)(struct render *, enum render_tone,
		    const char *const *);
	void	(*table_end)(struct render *);
	void	(*pre)(struct render *, const char *);
	/* 1 when the format draws figures (render->svg is then used). */
	int	(*figure_begin)(struct render *, const char *, double, double);
	void	(*figure_end)(struct render *);
};

struct render {
	const struct render_ops	*ops;
	FILE			*fp;
	enum render_format	 format;
	int			 utf8;
	int			 bad;		/* a write or malloc failed */
	int			 inlist, intable, infigure;
	enum render_tone	 tone;		/* of the open list */
	/* The open table. */
	size_t			 ncols;
	const char		*titles[RENDER_COLS_MAX];
	int			 flags[RENDER_COLS_MAX];
	/* The text backend keeps the rows until the table ends. */
	char			**cells;
	enum render_tone	*tones;
	size_t			 nrows, maxrows;
	struct svg		 svg;
};

extern const struct render_ops	render_text_ops;
extern const struct render_ops	render_md_ops;
extern const struct render_ops	render_html_ops;

/* fprintf/fputs on the document, marking it bad on failure. */
void	render_printf(struct render *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	render_puts(struct render *, const char *);
/* s through render_html_text, marking the document bad on failure. */
void	render_html(struct render *, const char *s);

#endif
