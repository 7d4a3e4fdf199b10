/*
 * fuzz_events.c: libFuzzer harness for the change log's chain check
 * (store_event_check, daemon/store/events.c). Each input line is tried as
 * a stored event, never a crash; then the lines that are JSON objects are
 * chained as the store would (seq, prev, hash) and the chain must verify,
 * and a tamper the input picks (one byte flipped, an event deleted, two
 * swapped, the end cut off against the saved head) must be detected.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHAIN_MAX	16

struct chain {
	char	*ev[CHAIN_MAX];
	size_t	 len[CHAIN_MAX];
	size_t	 n;
	char	 head[CHAIN_MAX + 1][65];	/* head[i]: after i events */
};

/* Store doc as event seq after prev, as the store would; 0 or -1. */
static int
chain_add(struct chain *c, json_t *doc)
{
	json_t	*copy;
	char	*s, h[65];
	size_t	 len;

	json_object_set_new(doc, "seq", json_integer((json_int_t)c->n + 1));
	json_object_set_new(doc, "prev", json_string(c->head[c->n]));
	json_object_del(doc, "hash");
	if ((s = util_json_canonical(doc, &len)) == NULL)
		return -1;
	util_sha256_hex(s, len, h);
	free(s);
	copy = json_copy(doc);
	json_object_set_new(copy, "hash", json_string(h));
	s = util_json_canonical(copy, &len);
	json_decref(copy);
	if (s == NULL)
		return -1;
	c->ev[c->n] = s;
	c->len[c->n] = len;
	memcpy(c->head[++c->n], h, 65);
	return 0;
}

/*
 * The events ev[0..n) checked as keys 1..n; 1 if the chain holds and ends
 * at head (NULL: anywhere).
 */
static int
chain_ok(char *const *ev, const size_t *len, size_t n, const char *head)
{
	char	prev[65];
	size_t	i;

	memset(prev, '0', 64);
	prev[64] = '\0';
	for (i = 0; i < n; i++)
		if (!store_event_check(i + 1, ev[i], len[i], prev, NULL))
			return 0;
	return head == NULL || strcmp(prev, head) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chain	 c;
	const char	*s = (const char *)data, *end = s + size, *nl;
	char		 prev[65], *t, *ev2[CHAIN_MAX];
	size_t		 i, j, k, at, tl, len2[CHAIN_MAX];
	json_t		*doc;
	unsigned	 pick;

	if (size < 2)
		return 0;
	pick = data[0];
	s++;
	memset(&c, 0, sizeof c);
	memset(c.head[0], '0', 64);
	for (i = 0; s < end; i++, s = nl + 1) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		/* Arbitrary bytes as a stored event: judged, not trusted. */
		memset(prev, '0', 64);
		prev[64] = '\0';
		(void)store_event_check(i + 1, s, (size_t)(nl - s), prev, NULL);
		doc = json_loadb(s, (size_t)(nl - s), JSON_REJECT_DUPLICATES,
		    NULL);
		if (json_is_object(doc) && c.n < CHAIN_MAX &&
		    chain_add(&c, doc) != 0)
			abort();
		json_decref(doc);
	}
	if (c.n == 0)
		goto done;
	if (!chain_ok(c.ev, c.len, c.n, c.head[c.n]))
		abort();
	at = (pick >> 2) % c.n;
	switch (pick & 3) {
	case 0:		/* one byte of event at changed */
		tl = c.len[at];
		t = c.ev[at];
		i = (size_t)(pick * 2654435761u) % tl;
		t[i] ^= 1 + (pick >> 5);
		if (chain_ok(c.ev, c.len, c.n, c.head[c.n]))
			abort();
		t[i] ^= 1 + (pick >> 5);
		break;
	case 1:		/* event at deleted: the rest shift down a key */
		if (at + 1 == c.n)
			break;	/* that is a truncation, below */
		for (j = at, k = at; j < c.n; j++)
			if (j != at) {
				ev2[k] = c.ev[j];
				len2[k++] = c.len[j];
			}
		memcpy(ev2, c.ev, at * sizeof *ev2);
		memcpy(len2, c.len, at * sizeof *len2);
		if (chain_ok(ev2, len2, k, NULL))
			abort();
		break;
	case 2:		/* events at and at + 1 swapped */
		if (at + 1 == c.n)
			break;
		t = c.ev[at];
		c.ev[at] = c.ev[at + 1];
		c.ev[at + 1] = t;
		tl = c.len[at];
		c.len[at] = c.len[at + 1];
		c.len[at + 1] = tl;
		if (chain_ok(c.ev, c.len, c.n, NULL))
			abort();
		break;
	default:	/* the end cut off: the saved head tells */
		if (chain_ok(c.ev, c.len, at, c.head[c.n]))
			abort();
		break;
	}
done:
	for (i = 0; i < c.n; i++)
		free(c.ev[i]);
	return 0;
}
