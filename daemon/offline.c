/*
 * offline.c: the subcommands an operator runs with the daemon stopped:
 * verify-events and check-store (is the store sound), compact (a copy
 * without free pages put in place) and restore (a backup verified, then
 * put in place, the old store kept aside). The store's lock file refuses
 * each while a daemon holds the store.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "offline.h"
#include "api/records.h"
#include "schema/schema.h"
#include "util.h"

const char offline_usage[] =
    "       auditord verify-events [-f file]\n"
    "       auditord check-store [-f file]\n"
    "       auditord compact [-f file]\n"
    "       auditord restore [-f file] BACKUP\n";

void
offline_store_opts(const struct config *c, struct store_opts *o)
{
	memset(o, 0, sizeof *o);
	o->path = c->store_path;
	o->map_size = c->map_size;
	o->map_max = c->map_max;
	o->max_readers = store_max_readers((unsigned)config_workers(c,
	    sysconf(_SC_NPROCESSORS_ONLN)));
	o->colls = records_store_colls();
	o->aux = records_aux_names();
	o->aux_version = RECORDS_ROWS_VERSION;
	o->aux_rebuild = records_rebuild;
}

/* The store at path (c's, or another directory) for an offline command. */
static struct store *
open_at(const struct config *c, const char *path)
{
	struct store_opts	 o;
	struct store		*st;
	char			 err[512];

	offline_store_opts(c, &o);
	o.path = path;
	if ((st = store_open(&o, err, sizeof err)) == NULL)
		log_warnx("store %s: %s", path, err);
	return st;
}

/* The event chain: 0 when it verifies (printed), 1 when not. */
static int
verify_chain(struct store *st, uint64_t *count)
{
	struct store_err	 err;
	MDB_txn			*txn;
	uint64_t		 bad = 0;
	char			 head[65];
	int			 rc;

	memset(&err, 0, sizeof err);
	if ((rc = store_read_begin(st, &txn)) != STORE_OK) {
		log_warnx("store: %s", store_strerror(rc));
		return 1;
	}
	rc = store_events_verify(st, txn, count, head, &bad, &err);
	store_read_end(st, txn);
	if (rc == STORE_INVALID) {
		printf("events: %llu good, broken at seq %llu: %s\n",
		    (unsigned long long)*count, (unsigned long long)bad,
		    err.message);
		return 1;
	}
	if (rc != STORE_OK) {
		log_warnx("events: %s", store_strerror(rc));
		return 1;
	}
	printf("events: %llu, head %s: the chain verifies\n",
	    (unsigned long long)*count, head);
	return 0;
}

/* Records per collection, printed; their sum in *total. 0 or 1. */
static int
count_records(struct store *st, size_t *total)
{
	const struct store_coll	*colls = records_store_colls();
	MDB_txn			*txn;
	size_t			 i, n;
	int			 rc = STORE_OK;

	*total = 0;
	if (store_read_begin(st, &txn) != STORE_OK)
		return 1;
	for (i = 0; colls[i].name != NULL; i++) {
		if ((rc = store_count(st, txn, colls[i].name, &n)) != STORE_OK)
			break;
		printf("%-16s %zu\n", colls[i].name, n);
		*total += n;
	}
	store_read_end(st, txn);
	return rc != STORE_OK;
}

static void
print_table(const char *table, size_t stored, size_t derived, int same,
    void *arg)
{
	(void)arg;
	if (same)
		printf("%-24s %zu rows: as derived\n", table, stored);
	else
		printf("%-24s %zu rows stored, %zu derived: DIFFERENT\n",
		    table, stored, derived);
}

/* Records, derived rows and the chain: 0 when all is sound. */
static int
check_all(struct store *st, size_t *records, uint64_t *events)
{
	struct store_err	err;
	size_t			n;
	int			rc, bad = 0;

	memset(&err, 0, sizeof err);
	bad |= count_records(st, records);
	rc = store_check(st, print_table, NULL, &n, &err);
	if (rc != STORE_OK) {
		printf("derived rows: %s%s%s\n", store_strerror(rc),
		    err.message[0] ? ": " : "", err.message);
		bad = 1;
	}
	bad |= verify_chain(st, events);
	return bad;
}

static int pathf(char *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* A path into out (PATH_MAX bytes); -1 (logged) when it does not fit. */
static int
pathf(char *out, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(out, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX) {
		log_warnx("a path under the store's is too long");
		return -1;
	}
	return 0;
}

static off_t
file_size(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* The compacted copy as path's data file; the store stays locked. */
static int
compact(struct store *st, const char *path)
{
	char	data[PATH_MAX], tmp[PATH_MAX];
	off_t	before;
	int	fd, rc;

	if (pathf(data, "%s/data.mdb", path) == -1 ||
	    pathf(tmp, "%s/data.mdb.compact", path) == -1)
		return 1;
	before = file_size(data);
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) ==
	    -1) {
		log_warnx("%s: %s", tmp, strerror(errno));
		return 1;
	}
	rc = store_copy_fd(st, fd);
	if (rc == STORE_OK && fsync(fd) == -1)
		rc = STORE_IO;
	close(fd);
	/* Nothing else has the store open (its lock): swap the files. */
	if (rc != STORE_OK || rename(tmp, data) == -1 ||
	    util_fsync_dir(data) == -1) {
		log_warnx("compacting %s: %s", path, rc != STORE_OK ?
		    store_strerror(rc) : strerror(errno));
		unlink(tmp);
		return 1;
	}
	printf("compacted %s: %lld bytes, now %lld\n", data,
	    (long long)before, (long long)file_size(data));
	return 0;
}

/* Copy file from into to (created 0600), synced. 0 or -1 (logged). */
static int
copy_file(const char *from, const char *to)
{
	char	buf[1 << 16];
	ssize_t	n, w;
	int	in, out, rc = -1;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warnx("%s: %s", from, strerror(errno));
		return -1;
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		log_warnx("%s: %s", to, strerror(errno));
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		for (w = 0; w < n; ) {
			ssize_t	k = write(out, buf + w, (size_t)(n - w));

			if (k == -1) {
				if (errno == EINTR)
					continue;
				log_warnx("%s: %s", to, strerror(errno));
				goto out;
			}
			w += k;
		}
	if (n == -1)
		log_warnx("%s: %s", from, strerror(errno));
	else if (fsync(out) == -1)
		log_warnx("%s: %s", to, strerror(errno));
	else
		rc = 0;
out:
	close(out);
	close(in);
	return rc;
}

/*
 * 0 when no process holds the store at path (its lock file, taken and
 * kept in *fd), 1 when one does; a missing store holds no lock.
 */
static int
lock_idle(const char *path, int *fd)
{
	char	file[PATH_MAX];

	*fd = -1;
	if (pathf(file, "%s/auditord.lock", path) == -1)
		return 1;
	if ((*fd = open(file, O_RDWR | O_CLOEXEC)) == -1)
		return 0;
	if (flock(*fd, LOCK_EX | LOCK_NB) == -1) {
		log_warnx("%s is in use (is auditord running?): stop the "
		    "daemon first", path);
		return 1;
	}
	return 0;
}

static void
remove_dir(const char *dir)
{
	const char	*files[] = { "data.mdb", "lock.mdb", "auditord.lock" };
	char		 f[PATH_MAX];
	size_t		 i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (pathf(f, "%s/%s", dir, files[i]) == 0)
			unlink(f);
	}
	rmdir(dir);
}

/*
 * The backup, verified in a directory beside the store (so that the final
 * rename stays on one file system), then put in the store's place.
 */
static int
restore(const struct config *c, const char *backup)
{
	const char	*path = c->store_path;
	struct store	*st;
	struct stat	 sb;
	char		 fresh[PATH_MAX], data[PATH_MAX], old[PATH_MAX];
	char		 stamp[32];
	size_t		 records;
	uint64_t	 events;
	time_t		 now = time(NULL);
	int		 fd, bad, had;

	if (lock_idle(path, &fd) != 0)
		goto fail;
	if (stat(backup, &sb) == -1) {
		log_warnx("%s: %s", backup, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		log_warnx("%s: not a file", backup);
		goto fail;
	}
	if (pathf(fresh, "%s.restore-%ld", path, (long)getpid()) == -1 ||
	    pathf(data, "%s/data.mdb", fresh) == -1)
		goto fail;
	if (mkdir(fresh, 0700) == -1) {
		log_warnx("%s: %s", fresh, strerror(errno));
		goto fail;
	}
	if (copy_file(backup, data) == -1)
		goto drop;
	printf("verifying %s\n", backup);
	if ((st = open_at(c, fresh)) == NULL)
		goto drop;
	bad = check_all(st, &records, &events);
	store_free(st);
	if (bad) {
		log_warnx("%s does not verify: the store is left as it was",
		    backup);
		goto drop;
	}
	had = stat(path, &sb) == 0;
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&now));
	if (pathf(old, "%s.old-%s", path, stamp) == -1)
		goto drop;
	if (had && rename(path, old) == -1) {
		log_warnx("moving %s aside: %s", path, strerror(errno));
		goto drop;
	}
	if (rename(fresh, path) == -1) {
		log_warnx("%s: %s", path, strerror(errno));
		if (had && rename(old, path) == -1)
			log_warnx("the old store is in %s", old);
		goto drop;
	}
	util_fsync_dir(path);
	printf("restored %zu records and %llu events into %s\n", records,
	    (unsigned long long)events, path);
	if (had)
		printf("the old store is in %s\n", old);
	if (fd != -1)
		close(fd);
	return 0;
drop:
	remove_dir(fresh);
fail:
	if (fd != -1)
		close(fd);
	return 1;
}

int
offline_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const cmds[] = { "verify-events", "check-store",
	    "compact", "restore", NULL };
	const char	*file = CONFIG_PATH;
	struct config	*c;
	struct store	*st = NULL;
	size_t		 records;
	uint64_t	 events;
	char		 err[256];
	int		 ch, i, status = 1, nargs;

	for (i = 0; cmds[i] != NULL && strcmp(cmds[i], argv[0]) != 0; i++)
		;
	if (cmds[i] == NULL)
		return -1;
	nargs = i == 3 ? 1 : 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f': file = optarg; break;
		case 'h':
			printf("usage:\n%s", offline_usage);
			return 0;
		default:
			fprintf(stderr, "usage:\n%s", offline_usage);
			return 2;
		}
	}
	if (argc - optind != nargs) {
		fprintf(stderr, "usage:\n%s", offline_usage);
		return 2;
	}
	if ((c = config_load(file, err, sizeof err)) == NULL) {
		log_warnx("%s", err);
		return 1;
	}
	if (schema_builtin_init(err, sizeof err) != 0) {
		log_warnx("schemas: %s", err);
		goto out;
	}
	if (i == 3) {
		status = restore(c, argv[optind]);
		goto out;
	}
	if ((st = open_at(c, c->store_path)) == NULL)
		goto out;
	if (i == 0)
		status = verify_chain(st, &events);
	else if (i == 1)
		status = check_all(st, &records, &events);
	else
		status = compact(st, c->store_path);
out:
	store_free(st);
	config_free(c);
	return status;
}
