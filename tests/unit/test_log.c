/*
 * test_log.c: the logger's lines: sd-daemon(3) priority prefixes when
 * stderr is the journal (JOURNAL_STREAM names stderr's device and inode),
 * plain "name: message" otherwise, and the level filter SIGHUP changes.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cu.h"

#include "log.h"

static char	logpath[] = "/tmp/auditord-log-XXXXXX";
static int	saved_stderr = -1;

/* stderr to a fresh file; JOURNAL_STREAM naming it when journal is set. */
static void
capture(int journal, const char *stream)
{
	struct stat	st;
	char		v[64];
	int		fd;

	fflush(stderr);
	if (saved_stderr == -1)
		saved_stderr = dup(STDERR_FILENO);
	strcpy(logpath, "/tmp/auditord-log-XXXXXX");
	fd = mkstemp(logpath);
	CU_ASSERT_FATAL(fd >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	CU_ASSERT_FATAL(fstat(STDERR_FILENO, &st) == 0);
	if (stream != NULL)
		setenv("JOURNAL_STREAM", stream, 1);
	else if (journal) {
		snprintf(v, sizeof v, "%llu:%llu",
		    (unsigned long long)st.st_dev,
		    (unsigned long long)st.st_ino);
		setenv("JOURNAL_STREAM", v, 1);
	} else
		unsetenv("JOURNAL_STREAM");
	log_init("tlog", 0);
}

/* What was logged since capture(); stderr back to the terminal. */
static char *
captured(void)
{
	static char	buf[4096];
	FILE		*f;
	size_t		 n;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	f = fopen(logpath, "r");
	CU_ASSERT_FATAL(f != NULL);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(logpath);
	unsetenv("JOURNAL_STREAM");
	return buf;
}

static void
test_journal(void)
{
	char	*out;

	capture(1, NULL);
	CU_ASSERT(log_journal());
	log_warnx("w %d", 1);
	log_info("i");
	log_debug("hidden");
	log_set_level(LOG_LEVEL_DEBUG);
	log_debug("d");
	out = captured();
	CU_ASSERT_STRING_EQUAL(out, "<4>w 1\n<6>i\n<7>d\n");
}

static void
test_plain(void)
{
	char	*out;

	capture(0, NULL);
	CU_ASSERT(!log_journal());
	log_warnx("w");
	log_info("i");
	out = captured();
	CU_ASSERT_STRING_EQUAL(out, "tlog: w\ntlog: i\n");

	/* Inherited from a parent whose stderr was the journal: not ours. */
	capture(0, "1:1");
	CU_ASSERT(!log_journal());
	log_info("i");
	out = captured();
	CU_ASSERT_STRING_EQUAL(out, "tlog: i\n");
	capture(0, "garbage");
	CU_ASSERT(!log_journal());
	captured();
}

static void
test_levels(void)
{
	char	*out;

	capture(0, NULL);
	log_set_level(LOG_LEVEL_WARNING);
	log_info("dropped");
	log_warnx("kept");
	out = captured();
	CU_ASSERT_STRING_EQUAL(out, "tlog: kept\n");
	CU_ASSERT_EQUAL(log_level_parse("debug"), LOG_LEVEL_DEBUG);
	CU_ASSERT_EQUAL(log_level_parse("info"), LOG_LEVEL_INFO);
	CU_ASSERT_EQUAL(log_level_parse("warning"), LOG_LEVEL_WARNING);
	CU_ASSERT_EQUAL(log_level_parse("err"), -1);
	CU_ASSERT_EQUAL(log_level_parse(""), -1);
	CU_ASSERT_STRING_EQUAL(log_level_name(LOG_LEVEL_INFO), "info");
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "journal: priority prefixes", test_journal },
		{ "not the journal: plain lines", test_plain },
		{ "levels", test_levels },
		{ NULL, NULL }
	};

	return cu_run("log", tests);
}
