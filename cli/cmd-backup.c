/*
 * cmd-backup.c: `auditorctl backup FILE`: the server's consistent,
 * compacted copy of its store (GET /v1/backup, admin) written to FILE.tmp
 * (mode 0600) as it arrives, synced, then renamed to FILE: a failed backup
 * leaves no half file and never replaces a good one. Progress on a
 * terminal.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "request.h"
#include "response.h"
#include "util.h"

struct backup_out {
	int		fd;
	uint64_t	bytes;
	int		tty;		/* progress on stderr */
	struct timespec	t0, shown;
};

static double
since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* "12.5 MiB, 30.1 MiB/s" over itself, at most four times a second. */
static void
backup_progress(struct backup_out *o, int done)
{
	struct timespec	now;
	double		secs;

	if (!o->tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!done && since(&o->shown, &now) < 0.25)
		return;
	o->shown = now;
	secs = since(&o->t0, &now);
	fprintf(stderr, "\r%.1f MiB, %.1f MiB/s%s",
	    (double)o->bytes / 1048576.0, secs > 0 ?
	    (double)o->bytes / 1048576.0 / secs : 0.0, done ? "\n" : "");
}

static int
backup_sink(const void *data, size_t len, void *arg)
{
	struct backup_out	*o = arg;
	const char		*p = data;
	ssize_t			 n;

	while (len > 0) {
		if ((n = write(o->fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		o->bytes += (uint64_t)n;
	}
	backup_progress(o, 0);
	return 0;
}

static int
backup_run(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	struct backup_out	 o;
	struct response		*r = NULL;
	const char		*file = a->argv[0];
	char			 tmp[PATH_MAX];
	int			 rc;

	memset(&o, 0, sizeof o);
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", file) >= sizeof tmp) {
		log_warnx("%s: name too long", file);
		return CMD_USAGE;
	}
	/* 0600 whatever the umask: the copy holds every record. */
	if ((o.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1 || fchmod(o.fd, 0600) == -1) {
		log_warn("cannot write %s", tmp);
		if (o.fd != -1)
			close(o.fd);
		return CMD_USAGE;
	}
	o.tty = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &o.t0);
	rc = request_download(ctx, "/backup", backup_sink, &o, &r);
	if (rc == CMD_OK && r->status != 200)
		rc = request_refused(ctx, r);
	if (rc == CMD_OK && (fsync(o.fd) == -1 || close(o.fd) == -1)) {
		log_warn("cannot write %s", tmp);
		rc = CMD_SERVER;
	} else if (rc != CMD_OK)
		close(o.fd);
	if (rc == CMD_OK && (rename(tmp, file) == -1 ||
	    util_fsync_dir(file) == -1)) {
		log_warn("cannot put the backup in place as %s", file);
		rc = CMD_SERVER;
	}
	if (rc != CMD_OK)
		unlink(tmp);
	else {
		backup_progress(&o, 1);
		fprintf(ctx->fp, "backup: %llu bytes in %s\n",
		    (unsigned long long)o.bytes, file);
	}
	response_free(r);
	return rc;
}

static const struct cmd_verb backup_verbs[] = {
	{ .name = "file", .args = "FILE", .nargs = 1, .help = "Write a "
	    "consistent, compacted copy of the server's store to FILE.",
	    .exec = backup_run },
};

/* Its one verb is its default: auditorctl backup FILE. */
const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.help = "Copy the server's whole store into a file (admin).",
	.verbs = backup_verbs,
	.nverbs = sizeof backup_verbs / sizeof *backup_verbs,
	.dflt = "file",
};
