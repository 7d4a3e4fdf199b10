/*
 * log.c: stderr logger with levels; see log.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include "log.h"

static const char	*log_name = "auditord";
static int		 log_debug_on;
static pthread_mutex_t	 log_lock = PTHREAD_MUTEX_INITIALIZER;

void
log_init(const char *name, int debug)
{
	log_name = name;
	log_debug_on = debug;
}

int
log_debugging(void)
{
	return log_debug_on;
}

static void
log_vwrite(const char *level, const char *fmt, va_list ap, int err)
{
	char	buf[1024];

	vsnprintf(buf, sizeof buf, fmt, ap);
	/* One fprintf under a lock so lines from workers never interleave. */
	pthread_mutex_lock(&log_lock);
	if (err)
		fprintf(stderr, "%s: %s%s: %s\n", log_name, level, buf,
		    strerror(err));
	else
		fprintf(stderr, "%s: %s%s\n", log_name, level, buf);
	pthread_mutex_unlock(&log_lock);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	log_vwrite("debug: ", fmt, ap, 0);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite("", fmt, ap, 0);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	err = errno;

	va_start(ap, fmt);
	log_vwrite("", fmt, ap, err);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite("", fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	err = errno;

	va_start(ap, fmt);
	log_vwrite("fatal: ", fmt, ap, err);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite("fatal: ", fmt, ap, 0);
	va_end(ap);
	exit(1);
}
