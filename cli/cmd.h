/*
 * cmd.h: auditorctl's command tables and what every command shares: exit
 * codes, the verb and option tables, parsed arguments and the run context.
 * request.h holds the helpers that send requests and map the answers to
 * exit codes.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "output.h"
#include "version.h"

/* Exit codes (auditorctl(1), EXIT STATUS). */
enum cmd_exit {
	CMD_OK = 0,		/* done */
	CMD_FAILED = 1,		/* a check ran and failed (events verify) */
	CMD_USAGE = 2,		/* bad command line, settings or config file */
	CMD_REFUSED = 3,	/* the server refused the request (4xx) */
	CMD_CONNECT = 4,	/* cannot connect, TLS failed, unreadable cert */
	CMD_SERVER = 5		/* 5xx, malformed answer, or output not written */
};

#define CMD_OPT_REPEAT	0x1	/* may be given more than once */

/* One option of a verb: --name ARG. Tables end with a NULL name. */
struct cmd_opt {
	const char	*name;		/* long name without the dashes */
	const char	*arg;		/* metavariable ("ID"); NULL for a flag */
	int		 flags;		/* CMD_OPT_* */
	const char	*choices;	/* values for help and completion */
	const char	*help;
};

struct cmd_ctx;
struct cmd_args;

struct cmd_verb {
	const char		*name;
	const char		*args;	/* positional arguments ("ID"), or NULL */
	int			 nargs;	/* positional arguments; -1: any */
	const char		*help;	/* one line */
	const struct cmd_opt	*opts;	/* NULL-terminated, or NULL */
	int			(*exec)(struct cmd_ctx *, const struct cmd_args *);
};

/* One noun: exported by cmd-<noun>.c, collected in main.c's table. */
struct cmd_entry {
	const char		*name;
	const char		*help;
	const struct cmd_verb	*verbs;	/* sorted by name (bsearch) */
	size_t			 nverbs;
	const char		*dflt;	/* verb run when none is given, or NULL */
};

extern const struct cmd_entry	cmd_area_entry;
extern const struct cmd_entry	cmd_auditor_entry;
extern const struct cmd_entry	cmd_events_entry;
extern const struct cmd_entry	cmd_me_entry;
extern const struct cmd_entry	cmd_principal_entry;

/* The values given for one option, in command-line order. */
struct cmd_optval {
	size_t		 n;
	const char	**v;
};

/* A parsed command line; strings point into the caller's argv. */
struct cmd_args {
	const struct cmd_entry	*entry;
	const struct cmd_verb	*verb;
	int			 argc;	/* positional arguments */
	char			**argv;
	struct cmd_optval	*vals;	/* one per entry of verb->opts */
	size_t			 nvals;
};

/* What a command runs with. */
struct cmd_ctx {
	const char		*server;	/* https URL */
	const char		*ca;
	const char		*cert;
	const char		*key;
	const struct output	*out;
	FILE			*fp;		/* where output goes */
	struct client		*client;	/* made by the first request */
};

/* Output format chosen by --json/--csv (0: table). */
enum cmd_format {
	CMD_FORMAT_TABLE = 0,
	CMD_FORMAT_JSON,
	CMD_FORMAT_CSV
};

/*
 * Table lookups. Both tables are sorted by name and searched with bsearch;
 * NULL when the name is unknown. The results point into the static tables.
 */
const struct cmd_entry	*cmd_find_entry(const struct cmd_entry *const *,
			    size_t, const char *);
const struct cmd_verb	*cmd_find_verb(const struct cmd_entry *,
			    const char *);

/*
 * 1 if the nouns, every noun's verbs and every verb's options (no duplicate
 * names) are in strictly ascending order, 0 otherwise (bsearch would miss).
 */
int	cmd_tables_sorted(const struct cmd_entry *const *, size_t);

#define CMD_PARSE_GLOBAL	0x1	/* stop at the first non-option */

/*
 * Parse a verb's arguments (argv[0] is the verb) with getopt_long built from
 * its option table; --json, --csv and --help are also accepted there. With
 * CMD_PARSE_GLOBAL (argv[0] is the program), parsing stops at the first
 * non-option and the positional count is not checked. Returns 0 and fills
 * args (free with cmd_args_free), or CMD_USAGE after a message on stderr.
 * *help is set when --help was given; *format to what --json/--csv asked
 * for (left alone otherwise).
 */
int	cmd_args_parse(const struct cmd_entry *, const struct cmd_verb *,
	    int, char **, int flags, struct cmd_args *, int *help,
	    enum cmd_format *);
void	cmd_args_free(struct cmd_args *);

/* The last value of option name, or NULL if it was not given. */
const char	*cmd_arg(const struct cmd_args *, const char *name);
/* Every value of option name; the count is returned, the array in *v. */
size_t		 cmd_arg_all(const struct cmd_args *, const char *name,
		    const char *const **v);

/* Usage texts generated from the tables. */
void	cmd_usage_verb(FILE *, const struct cmd_entry *,
	    const struct cmd_verb *);
void	cmd_usage_entry(FILE *, const struct cmd_entry *);
void	cmd_usage_line(FILE *, const struct cmd_entry *,
	    const struct cmd_verb *);

/*
 * Print "auditorctl: MESSAGE" and where to look for help on stderr, return
 * CMD_USAGE. verb may be NULL (noun help).
 */
int	cmd_usage_error(const struct cmd_entry *, const struct cmd_verb *,
	    const char *, ...) __attribute__((format(printf, 3, 4)));

/*
 * Append "/COLLECTION/ID[/SUFFIX]" to a fresh path in buf (size len) after
 * checking id is a record id. Returns 0, or CMD_USAGE after a message.
 */
int	cmd_record_path(const struct cmd_args *, char *, size_t,
	    const char *collection, const char *id, const char *suffix);

/*
 * Parse a positive decimal integer option into *out (bounds inclusive).
 * Returns 0 (also when the option is absent: *out untouched), or CMD_USAGE.
 */
int	cmd_arg_long(const struct cmd_args *, const char *name, long min,
	    long max, long *out);

/*
 * The If-Match value for --if-match REV ("\"REV\""), written into buf, or
 * NULL in *out when the option was not given. Returns 0 or CMD_USAGE.
 */
int	cmd_if_match(const struct cmd_args *, char *, size_t, const char **out);

/*
 * Copy option opt into obj[field] as a string, when given. With patch set,
 * an empty value becomes null (RFC 7396: remove the field).
 * cmd_body_list puts every value of a repeatable option into an array.
 * Returns 0 (also when the option is absent), or CMD_USAGE after a message
 * when a value is not UTF-8 (or memory ran out).
 */
int	cmd_body_string(json_t *, const struct cmd_args *, const char *opt,
	    const char *field, int patch);
int	cmd_body_list(json_t *, const struct cmd_args *, const char *opt,
	    const char *field, int patch);
/* cmd_body_string for each of names (NULL-ended), option = field name. */
int	cmd_body_strings(json_t *, const struct cmd_args *,
	    const char *const *names, int patch);

/*
 * Lower-case hex SHA-256 of the DER of the one certificate in path (PEM or
 * DER): what the server maps client certificates by. Returns 0, or -1 with
 * a message naming the file in err (unreadable, not a certificate, or more
 * than one). out must hold 65 bytes.
 */
int	cmd_principal_cert_sha256(const char *path, char *out, char *err,
	    size_t errlen);

#endif
