/*
 * peers.c: connections counted per client address (see peers.h): linear
 * probing with backward-shift deletion, so no tombstones pile up under a
 * churn of addresses.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "server/peers.h"

static const unsigned char zero[16];

/* The address as 16 bytes; 0, or -1 for a family we do not count. */
static int
peer_key(const struct sockaddr *sa, unsigned char key[16])
{
	if (sa->sa_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return 0;
	}
	if (sa->sa_family == AF_INET) {
		memset(key, 0, 10);
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((const struct sockaddr_in *)sa)->sin_addr,
		    4);
		return 0;
	}
	return -1;
}

static size_t
peer_hash(const unsigned char key[16])
{
	uint64_t	h = 1469598103934665603ULL;	/* FNV-1a */
	int		i;

	for (i = 0; i < 16; i++)
		h = (h ^ key[i]) * 1099511628211ULL;
	return (size_t)h;
}

int
peers_init(struct peers *p, int total, int max)
{
	size_t	n = 16;

	/* Load factor at most one half: every connection its own address. */
	while (n < (size_t)total * 2 + 2)
		n *= 2;
	memset(p, 0, sizeof *p);
	if ((p->slots = calloc(n, sizeof *p->slots)) == NULL)
		return -1;
	p->mask = n - 1;
	p->max = (uint32_t)max;
	pthread_mutex_init(&p->lock, NULL);
	return 0;
}

void
peers_free(struct peers *p)
{
	if (p->slots == NULL)
		return;
	pthread_mutex_destroy(&p->lock);
	free(p->slots);
	p->slots = NULL;
}

/* The slot of key, or the free slot where it would go. */
static size_t
peer_find(struct peers *p, const unsigned char key[16])
{
	size_t	i = peer_hash(key) & p->mask;

	while (memcmp(p->slots[i].addr, zero, 16) != 0 &&
	    memcmp(p->slots[i].addr, key, 16) != 0)
		i = (i + 1) & p->mask;
	return i;
}

int
peers_take(struct peers *p, const struct sockaddr *sa)
{
	unsigned char	key[16];
	size_t		i;
	int		rc = 0;

	/* The unspecified address is our "free" mark: never a real peer. */
	if (peer_key(sa, key) != 0 || memcmp(key, zero, 16) == 0)
		return 0;
	pthread_mutex_lock(&p->lock);
	i = peer_find(p, key);
	if (p->slots[i].n >= p->max)
		rc = -1;
	else {
		memcpy(p->slots[i].addr, key, 16);
		p->slots[i].n++;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

void
peers_put(struct peers *p, const struct sockaddr *sa)
{
	unsigned char	key[16];
	size_t		i, j, home;

	if (peer_key(sa, key) != 0 || memcmp(key, zero, 16) == 0)
		return;
	pthread_mutex_lock(&p->lock);
	i = peer_find(p, key);
	if (p->slots[i].n > 0 && --p->slots[i].n == 0) {
		/* Backward shift: later entries of the run move up. */
		memset(&p->slots[i], 0, sizeof p->slots[i]);
		for (j = (i + 1) & p->mask;
		    memcmp(p->slots[j].addr, zero, 16) != 0;
		    j = (j + 1) & p->mask) {
			home = peer_hash(p->slots[j].addr) & p->mask;
			/* Stays if its home lies cyclically in (i, j]. */
			if (i <= j ? (home > i && home <= j) :
			    (home > i || home <= j))
				continue;
			p->slots[i] = p->slots[j];
			memset(&p->slots[j], 0, sizeof p->slots[j]);
			i = j;
		}
	}
	pthread_mutex_unlock(&p->lock);
}

uint32_t
peers_count(struct peers *p, const struct sockaddr *sa)
{
	unsigned char	key[16];
	uint32_t	n;

	if (peer_key(sa, key) != 0)
		return 0;
	pthread_mutex_lock(&p->lock);
	n = p->slots[peer_find(p, key)].n;
	pthread_mutex_unlock(&p->lock);
	return n;
}
