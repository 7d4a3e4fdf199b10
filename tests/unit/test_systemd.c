/*
 * test_systemd.c: the notification datagram (path and abstract sockets,
 * none at all) and socket activation's LISTEN_FDS/LISTEN_PID, without a
 * systemd.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>

#include "cu.h"

#include "systemd.h"

/* A datagram socket bound to name ('@' first: abstract). */
static int
bound(const char *name)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	int			fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, name, strlen(name));
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(name));
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	CU_ASSERT_FATAL(fd >= 0);
	if (name[0] != '@')
		unlink(name);
	CU_ASSERT_FATAL(bind(fd, (struct sockaddr *)&sun, len) == 0);
	return fd;
}

static void
expect(int fd, const char *want)
{
	char	buf[512];
	ssize_t	n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);

	CU_ASSERT_FATAL(n >= 0);
	buf[n] = '\0';
	CU_ASSERT_STRING_EQUAL(buf, want);
}

static void
test_notify(void)
{
	char	path[64], abs[64];
	int	fd;

	unsetenv("NOTIFY_SOCKET");
	CU_ASSERT_EQUAL(systemd_notify("READY=1"), 0);

	snprintf(path, sizeof path, "/tmp/auditord-notify-%d", (int)getpid());
	fd = bound(path);
	setenv("NOTIFY_SOCKET", path, 1);
	CU_ASSERT_EQUAL(systemd_notify("READY=1\nSTATUS=listening on %s",
	    "127.0.0.1:8443"), 1);
	expect(fd, "READY=1\nSTATUS=listening on 127.0.0.1:8443");
	close(fd);
	unlink(path);

	snprintf(abs, sizeof abs, "@auditord-notify-%d", (int)getpid());
	fd = bound(abs);
	setenv("NOTIFY_SOCKET", abs, 1);
	CU_ASSERT_EQUAL(systemd_notify("STOPPING=1"), 1);
	expect(fd, "STOPPING=1");
	close(fd);

	/* Nobody there, or a name that is no socket's: an error to log. */
	CU_ASSERT_EQUAL(systemd_notify("READY=1"), -1);
	setenv("NOTIFY_SOCKET", "relative", 1);
	CU_ASSERT_EQUAL(systemd_notify("READY=1"), -1);
	unsetenv("NOTIFY_SOCKET");
}

/* A listening TCP socket on loopback at fd 3 (what systemd would pass). */
static void
listener_at_3(void)
{
	struct sockaddr_in	sin;
	int			fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	CU_ASSERT_FATAL(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CU_ASSERT_FATAL(bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0);
	CU_ASSERT_FATAL(listen(fd, 4) == 0);
	if (fd != 3) {
		CU_ASSERT_FATAL(dup2(fd, 3) == 3);
		close(fd);
	}
}

static void
test_listen_fds(void)
{
	char	pid[32], err[256];
	int	first = -1;

	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	CU_ASSERT_EQUAL(systemd_listen_fds(&first, err, sizeof err), 0);

	listener_at_3();
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "1", 1);
	CU_ASSERT_EQUAL(systemd_listen_fds(&first, err, sizeof err), 1);
	CU_ASSERT_EQUAL(first, 3);
	/* Taken once: a child must not adopt them too. */
	CU_ASSERT_PTR_NULL(getenv("LISTEN_FDS"));
	CU_ASSERT_PTR_NULL(getenv("LISTEN_PID"));

	/* For another process: not ours, and not an error. */
	setenv("LISTEN_PID", "1", 1);
	setenv("LISTEN_FDS", "1", 1);
	CU_ASSERT_EQUAL(systemd_listen_fds(&first, err, sizeof err), 0);

	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "x", 1);
	CU_ASSERT_EQUAL(systemd_listen_fds(&first, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "LISTEN_FDS"));

	/* fd 4 is not a listening socket. */
	CU_ASSERT_FATAL(dup2(STDIN_FILENO, 4) == 4);
	setenv("LISTEN_PID", pid, 1);
	setenv("LISTEN_FDS", "2", 1);
	CU_ASSERT_EQUAL(systemd_listen_fds(&first, err, sizeof err), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "fd 4 is not a listening socket"));
	close(4);
	close(3);
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "notify: path, abstract, none", test_notify },
		{ "socket activation", test_listen_fds },
		{ NULL, NULL }
	};

	return cu_run("systemd", tests);
}
