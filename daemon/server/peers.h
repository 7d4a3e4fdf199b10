/*
 * peers.h: open connections counted per client address, across every
 * worker, for the per-address cap: one address (loopback included) may
 * hold at most max of them, so its flood cannot take the global cap and
 * lock other clients out.
 */
#ifndef PEERS_H
#define PEERS_H

#include <sys/socket.h>
#include <pthread.h>
#include <stdint.h>

struct peer_slot {
	unsigned char	addr[16];	/* IPv6, or IPv4-mapped; zero: free */
	uint32_t	n;
};

/*
 * An open-addressing table sized once for the global cap (no allocation
 * per connection), under one mutex taken twice per connection.
 */
struct peers {
	pthread_mutex_t		 lock;
	struct peer_slot	*slots;
	size_t			 mask;	/* number of slots - 1 */
	uint32_t		 max;	/* per address */
};

/* Room for total open connections, max per address. -1: out of memory. */
int	peers_init(struct peers *, int total, int max);
void	peers_free(struct peers *);

/* Count a connection from sa: 0, or -1 when its address is at the cap. */
int	peers_take(struct peers *, const struct sockaddr *sa);

/* Uncount a connection counted by peers_take. */
void	peers_put(struct peers *, const struct sockaddr *sa);

/* How many connections sa's address holds (for tests). */
uint32_t peers_count(struct peers *, const struct sockaddr *sa);

#endif
