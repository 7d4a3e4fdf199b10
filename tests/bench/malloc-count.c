/*
 * malloc-count.c: an LD_PRELOAD library that counts malloc, calloc,
 * realloc and free calls in a process and prints the counts to stderr on
 * SIGUSR2, for the allocations per request in docs/benchmarks.md: take
 * the counts, run N requests, take them again, divide the difference.
 * Built by `make bench-allocs`; never linked into anything.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_ulong	n_malloc, n_calloc, n_realloc, n_free;
static void		*(*real_malloc)(size_t);
static void		*(*real_calloc)(size_t, size_t);
static void		*(*real_realloc)(void *, size_t);
static void		 (*real_free)(void *);

/* dlsym may calloc: serve that from a static buffer. */
static char		 boot[4096];
static size_t		 boot_used;

static void
report(int sig)
{
	char	buf[160];
	int	n;

	(void)sig;
	n = snprintf(buf, sizeof buf, "allocs: malloc %lu calloc %lu "
	    "realloc %lu free %lu\n", atomic_load(&n_malloc),
	    atomic_load(&n_calloc), atomic_load(&n_realloc),
	    atomic_load(&n_free));
	if (n > 0)
		(void)!write(2, buf, (size_t)n);
}

__attribute__((constructor)) static void
init(void)
{
	real_malloc = dlsym(RTLD_NEXT, "malloc");
	real_calloc = dlsym(RTLD_NEXT, "calloc");
	real_realloc = dlsym(RTLD_NEXT, "realloc");
	real_free = dlsym(RTLD_NEXT, "free");
	signal(SIGUSR2, report);
}

void *
malloc(size_t n)
{
	atomic_fetch_add(&n_malloc, 1);
	if (real_malloc == NULL)
		init();
	return real_malloc(n);
}

void *
calloc(size_t a, size_t b)
{
	void	*p;

	if (real_calloc == NULL) {
		if (boot_used + a * b > sizeof boot)
			return NULL;
		p = boot + boot_used;
		boot_used += (a * b + 15) & ~(size_t)15;
		return p;
	}
	atomic_fetch_add(&n_calloc, 1);
	return real_calloc(a, b);
}

void *
realloc(void *p, size_t n)
{
	atomic_fetch_add(&n_realloc, 1);
	if (real_realloc == NULL)
		init();
	return real_realloc(p, n);
}

void
free(void *p)
{
	if ((char *)p >= boot && (char *)p < boot + sizeof boot)
		return;
	if (p != NULL)
		atomic_fetch_add(&n_free, 1);
	if (real_free == NULL)
		init();
	real_free(p);
}
