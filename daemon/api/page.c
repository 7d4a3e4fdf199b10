/*
 * page.c: list answers (see page.h).
 */
#include "api/page.h"
#include "api/view.h"

int
page_begin(struct req *r, struct page *p)
{
	p->n = 0;
	p->nomem = 0;
	if ((p->out = evbuffer_new()) == NULL ||
	    evbuffer_add(p->out, "{\"items\":[", 10) != 0) {
		if (p->out != NULL)
			evbuffer_free(p->out);
		p->out = NULL;
		http_problem(r, 500, "internal", "out of memory");
		return -1;
	}
	return 0;
}

int
page_add(struct page *p, const void *json, size_t len)
{
	if ((p->n > 0 && evbuffer_add(p->out, ",", 1) != 0) ||
	    evbuffer_add(p->out, json, len) != 0) {
		p->nomem = 1;
		return -1;
	}
	p->n++;
	return 0;
}

void
page_end(struct req *r, struct page *p, int rc, const char *next)
{
	if (rc == STORE_OK && !p->nomem && evbuffer_add_printf(p->out,
	    "],\"next\":%s}", next != NULL ? next : "null") < 0)
		p->nomem = 1;
	if (rc != STORE_OK)
		view_store_error(r, rc, NULL);
	else if (p->nomem)
		http_problem(r, 500, "internal", "out of memory");
	else
		http_reply_buffer(r, 200, "application/json", p->out);
	evbuffer_free(p->out);
	p->out = NULL;
}
