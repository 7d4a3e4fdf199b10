/*
 * log.c: stderr logger with levels and, under the journal, sd-daemon(3)
 * priority prefixes; see log.h.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/stat.h>

#include "log.h"

#define LOG_LEVEL_CRIT	2	/* fatal(): the process ends */

static const char	*log_name = "auditord";
static atomic_int	 log_level = LOG_LEVEL_INFO;
static int		 log_to_journal;
static pthread_mutex_t	 log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = {
	[LOG_LEVEL_WARNING] = "warning",
	[LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DEBUG] = "debug",
};

/*
 * systemd sets JOURNAL_STREAM to stderr's "device:inode" when it connects
 * stderr to the journal. A child that inherited the variable but not the
 * stream (stderr redirected to a file) must not get prefixes: compare.
 */
static int
stderr_is_journal(void)
{
	const char		*v = getenv("JOURNAL_STREAM");
	struct stat		 st;
	unsigned long long	 dev, ino;
	int			 end = 0;

	if (v == NULL || sscanf(v, "%llu:%llu%n", &dev, &ino, &end) != 2 ||
	    v[end] != '\0' || fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *name, int debug)
{
	log_name = name;
	atomic_store(&log_level, debug ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	log_to_journal = stderr_is_journal();
}

void
log_set_level(int level)
{
	atomic_store(&log_level, level);
}

int
log_get_level(void)
{
	return atomic_load(&log_level);
}

int
log_level_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < sizeof level_names / sizeof *level_names; i++)
		if (level_names[i] != NULL && strcmp(s, level_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *
log_level_name(int level)
{
	if (level < 0 || (size_t)level >= sizeof level_names /
	    sizeof *level_names || level_names[level] == NULL)
		return "?";
	return level_names[level];
}

int
log_journal(void)
{
	return log_to_journal;
}

int
log_debugging(void)
{
	return atomic_load(&log_level) >= LOG_LEVEL_DEBUG;
}

static void
log_vwrite(int prio, const char *level, const char *fmt, va_list ap, int err)
{
	char	buf[1024], head[64];

	if (prio > atomic_load(&log_level))
		return;
	vsnprintf(buf, sizeof buf, fmt, ap);
	/* The journal knows the program and the level: the number says it. */
	if (log_to_journal)
		snprintf(head, sizeof head, "<%d>", prio);
	else
		snprintf(head, sizeof head, "%s: %s", log_name, level);
	/* One fprintf under a lock so lines from workers never interleave. */
	pthread_mutex_lock(&log_lock);
	if (err)
		fprintf(stderr, "%s%s: %s\n", head, buf, strerror(err));
	else
		fprintf(stderr, "%s%s\n", head, buf);
	pthread_mutex_unlock(&log_lock);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_DEBUG, "debug: ", fmt, ap, 0);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_INFO, "", fmt, ap, 0);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	err = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_WARNING, "", fmt, ap, err);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_WARNING, "", fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	err = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_CRIT, "fatal: ", fmt, ap, err);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_CRIT, "fatal: ", fmt, ap, 0);
	va_end(ap);
	exit(1);
}
