/*
 * systemd.c: readiness notification and socket activation without
 * libsystemd (see systemd.h); the protocols are a datagram and three
 * environment variables.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "systemd.h"

#define LISTEN_FDS_START	3

int
systemd_notify(const char *fmt, ...)
{
	struct sockaddr_un	 sun;
	const char		*path = getenv("NOTIFY_SOCKET");
	char			 msg[512];
	socklen_t		 len;
	va_list			 ap;
	int			 fd, n;

	if (path == NULL || path[0] == '\0')
		return 0;
	/* A path socket or an abstract one ('@'); nothing else is ours. */
	if ((path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof sun.sun_path) {
		errno = EINVAL;
		return -1;
	}
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof msg) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if (sun.sun_path[0] == '@')
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	n = (int)sendto(fd, msg, (size_t)n, MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len);
	close(fd);
	return n == -1 ? -1 : 1;
}

/* A decimal that is all of s, in [min, max]. */
static int
env_int(const char *s, long min, long max, long *out)
{
	char	*end;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	*out = strtol(s, &end, 10);
	return errno != 0 || *end != '\0' || *out < min || *out > max ? -1 : 0;
}

int
systemd_listen_fds(int *first, char *err, size_t errlen)
{
	const char	*pid_s = getenv("LISTEN_PID");
	const char	*fds_s = getenv("LISTEN_FDS");
	long		 pid, n;
	int		 fd, on, type, ret = -1;
	socklen_t	 len;

	if (pid_s == NULL && fds_s == NULL)
		return 0;
	/* Meant for another process (a parent that exec'ed us): not ours. */
	if (env_int(pid_s, 1, 0x7fffffffL, &pid) == -1 || pid != getpid()) {
		ret = 0;
		goto out;
	}
	if (env_int(fds_s, 0, 64, &n) == -1) {
		snprintf(err, errlen, "LISTEN_FDS: '%s' is not a count",
		    fds_s != NULL ? fds_s : "");
		goto out;
	}
	for (fd = LISTEN_FDS_START; fd < LISTEN_FDS_START + n; fd++) {
		len = sizeof on;
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) ==
		    -1 || !on) {
			snprintf(err, errlen, "socket activation: fd %d is not "
			    "a listening socket", fd);
			goto out;
		}
		len = sizeof type;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
		    type != SOCK_STREAM) {
			snprintf(err, errlen, "socket activation: fd %d is not "
			    "a stream socket", fd);
			goto out;
		}
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	*first = LISTEN_FDS_START;
	ret = (int)n;
out:
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return ret;
}
