/*
 * bench.h: what the in-process benchmarks (competence.c, check.c) share:
 * a seeded random number, a clock, dates relative to today, the store
 * opened as the daemon opens it, and the knowledge areas. Each program
 * includes it once; everything here is its own.
 */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
#include <string.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "api/records.h"
#include "schema/schema.h"
#include "store/store.h"
#include "util.h"

#define MAP_SIZE	((size_t)8 << 30)

static uint64_t	rng = 88172645463325252ULL;
static char	today[UTIL_DATE_LEN];

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ULL) >> 33) % n;
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* today + off days, as a new JSON string */
static json_t *
day(long off)
{
	char	d[UTIL_DATE_LEN];

	util_date_str(util_date_days(today, NULL) + off, d);
	return json_string(d);
}

static struct store *
open_store(const char *dir)
{
	struct store_opts	 o;
	struct store		*st;
	char			 err[256];

	memset(&o, 0, sizeof o);
	o.path = dir;
	o.map_size = MAP_SIZE;
	o.colls = records_store_colls();
	o.aux = records_aux_names();
	o.aux_version = RECORDS_ROWS_VERSION;
	o.aux_rebuild = records_rebuild;
	if ((st = store_open(&o, err, sizeof err)) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, dir,
		    err);
		exit(1);
	}
	return st;
}

static const char *const areas[] = { "audit-principles",
    "business-management", "client-sector", "infosec-terminology",
    "isms-standards", "legislation", "risk-management",
    "security-controls" };
#define NAREAS	(sizeof areas / sizeof areas[0])

/*
 * What each benchmark's main does first: malloc as auditord tunes it, the
 * verb checked ("gen" or "time", DIR after it; usage printed otherwise),
 * the built-in schemas, today. -1 to go on, else the exit code.
 */
static int
bench_start(int argc, char *argv[], const char *usage)
{
	char	err[256];

	util_malloc_tune();	/* as auditord runs */
	if (argc < 3 || (strcmp(argv[1], "gen") != 0 &&
	    strcmp(argv[1], "time") != 0)) {
		fputs(usage, stderr);
		return 2;
	}
	if (schema_builtin_init(err, sizeof err) != 0) {
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, err);
		return 1;
	}
	util_today(today);
	return -1;
}

#endif
