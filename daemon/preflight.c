/*
 * preflight.c: `auditord -n` (see preflight.h). It opens nothing it would
 * have to create: the store is checked by its permissions, not opened,
 * since opening an LMDB environment makes its files.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "config.h"
#include "log.h"
#include "preflight.h"
#include "tls.h"

/* Bind (never listen) a socket as a worker would, without SO_REUSEPORT. */
static int
check_listen(const struct config *c)
{
	struct sockaddr_storage	ss;
	int			fd, on = 1, len;

	if (config_listen_addr(c->listen, &ss, &len) == -1) {
		log_warnx("listen: '%s' is not host:port", c->listen);
		return 1;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("listen %s: socket", c->listen);
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (bind(fd, (struct sockaddr *)&ss, (socklen_t)len) == -1) {
		log_warnx("cannot listen on %s: %s%s", c->listen,
		    strerror(errno), errno == EADDRINUSE ? " (a running "
		    "auditord holds it? -n checks as a start would)" : "");
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}

/* A file the store has made: the daemon must read and write it. */
static int
check_store_file(const char *dir, const char *name)
{
	char	path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (access(path, F_OK) == -1)
		return 0;
	if (access(path, R_OK | W_OK) == -1) {
		log_warn("store: %s", path);
		return 1;
	}
	return 0;
}

static int
check_store(const struct config *c)
{
	struct stat	 st;
	char		 parent[PATH_MAX];

	if (stat(c->store_path, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			log_warnx("store: %s is not a directory",
			    c->store_path);
			return 1;
		}
		if (access(c->store_path, R_OK | W_OK | X_OK) == -1) {
			log_warn("store: %s", c->store_path);
			return 1;
		}
		return check_store_file(c->store_path, "data.mdb") +
		    check_store_file(c->store_path, "lock.mdb");
	}
	if (errno != ENOENT) {
		log_warn("store: %s", c->store_path);
		return 1;
	}
	/* A start would make it (one level, as store_open does). */
	snprintf(parent, sizeof parent, "%s", c->store_path);
	if (access(dirname(parent), W_OK | X_OK) == -1) {
		log_warn("store: %s does not exist and cannot be made in %s",
		    c->store_path, parent);
		return 1;
	}
	return 0;
}

int
preflight_check(const struct config *c, struct tls_shared *shared, int nfds)
{
	struct tls_server	*t;
	char			 err[256];
	int			 bad = 0;

	if (nfds == 0)
		bad += check_listen(c);
	t = tls_server_new(shared, c->cert, c->key, c->ca, c->crl, err,
	    sizeof err);
	if (t == NULL) {
		log_warnx("TLS: %s", err);
		bad++;
	}
	tls_server_free(t);
	bad += check_store(c);
	return bad;
}
