/*
 * log.h: the one logger both programs use.
 *
 * Messages go to stderr: auditord runs in the foreground and systemd's
 * journal keeps the log. When stderr is the journal (JOURNAL_STREAM names
 * it) each line starts with its sd-daemon(3) priority, "<4>" for a
 * warning, and no program name (the journal has it); otherwise a line is
 * "name: message". log_warn() appends strerror(errno), log_warnx() does
 * not. fatal()/fatalx() exit(1) and are only for broken invariants and
 * start-up failures, never for a bad request.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* The levels are syslog's priorities: the journal's prefix is the number. */
#define LOG_LEVEL_WARNING	4
#define LOG_LEVEL_INFO		6
#define LOG_LEVEL_DEBUG		7

/*
 * name: program name for the prefix; debug: level debug, else info. Reads
 * JOURNAL_STREAM once.
 */
void	log_init(const char *name, int debug);
/* Any thread, any time (SIGHUP): messages above level are dropped. */
void	log_set_level(int level);
int	log_get_level(void);
/* "warning", "info" or "debug" to its level; -1 for anything else. */
int	log_level_parse(const char *);
const char *log_level_name(int level);
/* 1 when stderr is the journal (the prefixes are on). */
int	log_journal(void);
int	log_debugging(void);
void	log_debug(const char *, ...) LOG_PRINTF(1, 2);
void	log_info(const char *, ...) LOG_PRINTF(1, 2);
void	log_warn(const char *, ...) LOG_PRINTF(1, 2);
void	log_warnx(const char *, ...) LOG_PRINTF(1, 2);
void	fatal(const char *, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));
void	fatalx(const char *, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));

#endif
