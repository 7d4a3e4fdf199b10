/*
 * offline.h: auditord's subcommands that work on a store with the daemon
 * stopped (verify-events, check-store, compact, restore), and the store
 * options the daemon and they open a store with.
 */
#ifndef OFFLINE_H
#define OFFLINE_H

#include "config.h"
#include "store/store.h"

/*
 * The options c's store opens with (collections, aux tables and their
 * rebuild, reader slots for c's workers) into o; o points into c and
 * into static tables, so it lives as long as c.
 */
void	offline_store_opts(const struct config *c, struct store_opts *o);

/*
 * Run subcommand argv[0] when it is one of offline.c's: its exit status
 * (0 done or sound, 1 failed or found a fault, 2 usage). -1 when argv[0]
 * is none of them.
 */
int	offline_main(int argc, char **argv);

/* The usage lines of the subcommands, for auditord --help. */
extern const char offline_usage[];

#endif
