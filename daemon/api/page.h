/*
 * page.h: one page of a list answer, {"items":[…],"next":…}, built from
 * stored bytes as they are (no parse, no re-encoding). Every list route
 * answers through it, so the shape and the out-of-memory answer are the
 * same everywhere.
 */
#ifndef PAGE_H
#define PAGE_H

#include <stddef.h>

#include <event2/buffer.h>

#include "server/http.h"

struct page {
	struct evbuffer	*out;
	size_t		 n;		/* items added */
	int		 nomem;		/* the answer could not grow */
};

/* Start a page. Returns 0, or -1 after answering 500. */
int	page_begin(struct req *, struct page *);

/* Add one item's JSON bytes. Returns 0, or -1 (then nomem is set). */
int	page_add(struct page *, const void *json, size_t len);

/*
 * Close the page with next (JSON text: "\"id\"", a number, or NULL for
 * null) and answer it; or, when rc is not STORE_OK, answer rc; or 500 when
 * memory ran out. Frees the page either way.
 */
void	page_end(struct req *, struct page *, int rc, const char *next);

#endif
