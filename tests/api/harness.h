/*
 * harness.h: the API tests' world: a temporary directory with fresh
 * certificates, a config and a bootstrapped store, the real auditord on a
 * free loopback port, and child processes run with their output captured.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

/* One per test program; filled by harness_setup(). */
struct harness {
	char	dir[256];		/* the temporary directory */
	char	port[16];		/* the daemon's port */
	char	url[64];		/* https://127.0.0.1:PORT */
	char	auditord[PATH_MAX];	/* absolute paths of the programs */
	char	auditorctl[PATH_MAX];
	char	mkcerts[PATH_MAX];
	char	log[PATH_MAX];		/* the daemon's stderr */
	pid_t	pid;			/* the daemon; 0 when not running */
};
extern struct harness harness;

/* What a child process did. out and err are NUL-terminated, owned by it. */
struct proc {
	int	 code;		/* exit status; 128 + signal; -1: did not run */
	int	 timed_out;	/* killed at the deadline */
	char	*out;
	size_t	 outlen;
	char	*err;
	size_t	 errlen;
};

/*
 * Run argv[0] (searched in PATH) with envp (NULL: harness_env()), feeding
 * in (NULL: /dev/null) and capturing stdout and stderr. A child still
 * running after timeout_ms is killed. Returns p->code; free p with
 * harness_proc_free().
 */
int		 harness_run(const char *const argv[], char *const envp[],
		    const char *in, size_t inlen, int timeout_ms,
		    struct proc *p);
void		 harness_proc_free(struct proc *);

/*
 * The environment children get: PATH, HOME (inside the temporary directory,
 * so no user configuration is read) and LC_ALL=C, then extra (NULL-ended,
 * may be NULL). The array lives until the next call.
 */
char *const	*harness_env(const char *const extra[]);

/* DIR/name into out (PATH_MAX bytes); returns out. */
char		*harness_file(char *out, const char *name);

/*
 * Suite init: temporary directory, certificates, free port, config,
 * bootstrap of the admin principal, daemon started and answering /livez.
 * Returns 0, or -1 after printing why (and the daemon's log).
 */
int		 harness_setup(void);

/*
 * Start auditord on the existing directory and config (again, after
 * harness_stop()) and wait up to 10 s for /livez. 0, or -1 after printing
 * why and the log.
 */
int		 harness_start(void);

/*
 * Start another auditord with -d -f conf, stdin /dev/null, stdout and
 * stderr appended to log: its pid, or 0 after saying why. For a second
 * daemon of a case's own; the caller stops it.
 */
pid_t		 harness_spawn(const char *conf, const char *log);

/*
 * SIGTERM the daemon and wait up to timeout_ms. Returns its exit status
 * (128 + signal if killed by one), or -1 if it had to be killed at the
 * deadline. No-op returning 0 when it is not running.
 */
int		 harness_stop(int timeout_ms);

/*
 * 1 if the daemon is still running. If it has exited (crashed), 0 after
 * printing its status and log; harness.pid is then 0.
 */
int		 harness_alive(void);

/* Suite cleanup: stop the daemon if running, remove the directory. */
int		 harness_teardown(void);

/* A loopback TCP port nothing listens on (now) into out. 0 or -1. */
int		 harness_free_port(char *out, size_t len);

/* 1 if a line of the daemon's log holds needle. */
int		 harness_log_has(const char *needle);

/* Print the daemon's log to stdout (for failures). */
void		 harness_print_log(void);

#endif
