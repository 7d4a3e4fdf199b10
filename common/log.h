/*
 * log.h: the one logger both programs use.
 *
 * Messages go to stderr with a level prefix: auditord always runs in the
 * foreground (systemd's Type=simple; journald adds time stamps and keeps the
 * log), and -d only adds debug messages. log_warn() appends
 * strerror(errno), log_warnx() does not. fatal()/fatalx() exit(1) and are only
 * for broken invariants and start-up failures, never for a bad request.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* name: program name for the prefix; debug: also print log_debug(). */
void	log_init(const char *name, int debug);
int	log_debugging(void);
void	log_debug(const char *, ...) LOG_PRINTF(1, 2);
void	log_info(const char *, ...) LOG_PRINTF(1, 2);
void	log_warn(const char *, ...) LOG_PRINTF(1, 2);
void	log_warnx(const char *, ...) LOG_PRINTF(1, 2);
void	fatal(const char *, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));
void	fatalx(const char *, ...) LOG_PRINTF(1, 2) __attribute__((noreturn));

#endif
