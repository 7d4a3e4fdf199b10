/*
 * api-backup.c: GET /v1/backup (admin): a consistent, compacted copy of
 * the whole store. LMDB writes the copy (mdb_env_copyfd2, MDB_CP_COMPACT)
 * on a thread of its own (http_offload) into an unlinked file beside the
 * store, and the worker sends that file (evbuffer_add_file maps it, never
 * reading it all into memory), so no event loop waits on the copy.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "log.h"
#include "api/records.h"

struct backup_job {
	struct store	*store;
	int		 fd;		/* the copy, unlinked; -1: none */
	off_t		 size;
	int		 err;		/* errno of a failed step */
};

static void
backup_job_free(void *arg)
{
	struct backup_job	*b = arg;

	if (b->fd != -1)
		close(b->fd);
	free(b);
}

/* On the job's thread: the copy into a file nobody else can open. */
static int
backup_copy(void *arg)
{
	struct backup_job	*b = arg;
	struct stat		 sb;
	const char		*dir;
	char			 path[4096];

	if (mdb_env_get_path(store_env(b->store), &dir) != 0 ||
	    (size_t)snprintf(path, sizeof path, "%s/backup.XXXXXX", dir) >=
	    sizeof path) {
		b->err = ENAMETOOLONG;
		return STORE_IO;
	}
	if ((b->fd = mkostemp(path, O_CLOEXEC)) == -1) {
		b->err = errno;
		return STORE_IO;
	}
	/* Gone from the directory at once: a crash leaves nothing behind. */
	unlink(path);
	if (store_copy_fd(b->store, b->fd) != STORE_OK) {
		b->err = errno;
		return STORE_IO;
	}
	if (fstat(b->fd, &sb) == -1) {
		b->err = errno;
		return STORE_IO;
	}
	b->size = sb.st_size;
	return STORE_OK;
}

static void
backup_done(struct req *r, int rc)
{
	struct backup_job	*b = r->wctx;
	struct evbuffer		*body;
	char			 name[96], stamp[32];
	time_t			 now = time(NULL);

	if (rc != STORE_OK) {
		log_warnx("backup: %s", b->err ? strerror(b->err) :
		    store_strerror(rc));
		http_problem(r, 500, "backup-failed", "the copy of the store "
		    "could not be made: %s", b->err ? strerror(b->err) :
		    store_strerror(rc));
		return;
	}
	if ((body = evbuffer_new()) == NULL) {
		http_problem(r, 500, "internal", "out of memory");
		return;
	}
	/* The buffer owns the file from here, and closes it once sent. */
	if (evbuffer_add_file(body, b->fd, 0, b->size) == -1) {
		evbuffer_free(body);
		http_problem(r, 500, "internal", "cannot send the copy");
		return;
	}
	b->fd = -1;
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&now));
	snprintf(name, sizeof name, "attachment; filename=\"auditord-%s.mdb\"",
	    stamp);
	http_header_add(r, "Content-Disposition", name);
	log_info("backup: %lld bytes to %s", (long long)b->size, r->who);
	http_reply_buffer(r, 200, "application/octet-stream", body);
	evbuffer_free(body);
}

static void
backup_get(struct call *c)
{
	struct backup_job	*b;

	if (http_query_check(c->req, NULL) != 0)
		return;
	if ((b = calloc(1, sizeof *b)) == NULL) {
		http_problem(c->req, 500, "internal", "out of memory");
		return;
	}
	b->store = c->store;
	b->fd = -1;
	http_offload(c->req, backup_copy, b, backup_job_free, backup_done);
}

static const struct route backup_routes[] = {
	{ EVHTTP_REQ_GET, "", ACCESS_READ, OWNER_RECORD, backup_get, NULL },
};

/* The whole store: admin alone, and no role's own scope makes sense. */
const struct resource resource_backup = {
	.name = "backup",
	.grants = {
		.read = SCOPES(ALL, DENY, DENY, DENY, DENY),
		.write = SCOPES(DENY, DENY, DENY, DENY, DENY),
	},
	.routes = backup_routes,
	.nroutes = NELEM(backup_routes),
};
