/*
 * cmd.h: auditorctl's command tables and what every command shares: exit
 * codes, the verb and option tables, the options generated from a noun's
 * schema, parsed arguments and the run context. request.h holds the helpers
 * that send requests and map the answers to exit codes.
 *
 * A noun of records names its collection and its built-in schema
 * (daemon/schema/schema.h): the fields add and edit take, their choices, the
 * fields add needs and the filters list takes all come from that schema, so
 * the CLI states none of them again. A noun's file holds only what is
 * special about it: verbs beyond the usual ones, options that do not map
 * one to one onto a field, renamed options and the list's columns.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "output.h"
#include "version.h"

struct schema;
struct schema_prop;

/* Exit codes (auditorctl(1), EXIT STATUS). */
enum cmd_exit {
	CMD_OK = 0,		/* done */
	CMD_FAILED = 1,		/* a check ran and failed (events verify,
				   audit check, audit propose) */
	CMD_USAGE = 2,		/* bad command line, settings or config file */
	CMD_REFUSED = 3,	/* the server refused the request (4xx) */
	CMD_CONNECT = 4,	/* cannot connect, TLS failed, unreadable cert */
	CMD_SERVER = 5		/* 5xx, malformed answer, or output not written */
};

#define CMD_OPT_REPEAT	 0x1	/* may be given more than once */
#define CMD_OPT_REQUIRED 0x2	/* must be given: a field add needs */
#define CMD_OPT_REMOVE	 0x4	/* '' removes the field (edit, optional) */
#define CMD_OPT_FILTER	 0x8	/* a list filter: goes into the query
				   (a table's under its own name) */
#define CMD_OPT_NEGATE	 0x10	/* sets its boolean field to false */
#define CMD_OPT_DATE	 0x20	/* the value must be a date, YYYY-MM-DD */

/* One option of a verb: --name ARG. Tables end with a NULL name. */
struct cmd_opt {
	const char		*name;		/* long name without the dashes */
	const char		*arg;		/* metavariable ("ID"); NULL: flag */
	int			 flags;		/* CMD_OPT_* */
	const char *const	*choices;	/* allowed values, NULL-ended;
						   NULL: any */
	const char		*help;
	/* Generated options: the field of the noun's schema it stands for. */
	const struct schema_prop *prop;
};

#define CMD_FIELD_HIDE	0x1	/* no option: the noun's fill sets it */
/*
 * A boolean the server makes true when a new record leaves it out: besides
 * the flag --NAME, add takes --no-NAME to set it to false (edit takes
 * --NAME true|false, as for every boolean).
 */
#define CMD_FIELD_NEGATE 0x2
/*
 * A required field the server fills for some callers (a finding's auditor:
 * role auditor's own): add does not require its option.
 */
#define CMD_FIELD_OPTIONAL 0x4

/*
 * Where one field's generated option departs from the default: option name
 * = field name with '_' as '-', metavariable = option name in capitals.
 * Tables end with a NULL name.
 */
struct cmd_field {
	const char	*name;		/* the schema's property */
	const char	*opt;		/* option name, or NULL */
	const char	*arg;		/* metavariable, or NULL */
	int		 flags;		/* CMD_FIELD_* */
};

/* The options a verb takes from its noun's schema, besides its table's. */
enum cmd_gen {
	CMD_GEN_NONE = 0,
	CMD_GEN_ADD,		/* each field a client sets (not readOnly) */
	CMD_GEN_EDIT,		/* the same but id (the argument) */
	CMD_GEN_FILTERS		/* the schema's x-filters */
};

struct cmd_ctx;
struct cmd_args;

struct cmd_verb {
	const char		*name;
	const char		*args;	/* positional arguments ("ID"), or NULL */
	int			 nargs;	/* positional arguments; -1: any */
	const char		*help;	/* one line */
	const struct cmd_opt	*opts;	/* NULL-terminated, or NULL */
	enum cmd_gen		 gen;
	int			(*exec)(struct cmd_ctx *, const struct cmd_args *);
};

/* One noun: exported by cmd-<noun>.c, collected in main.c's table. */
struct cmd_entry {
	const char		*name;
	const char		*help;
	const struct cmd_verb	*verbs;	/* sorted by name (bsearch) */
	size_t			 nverbs;
	const char		*dflt;	/* verb run when none is given, or NULL */
	/* A noun of records; NULL for the others. */
	const char		*collection;	/* path under /v1: "auditors" */
	const char		*type;		/* built-in schema: "auditor" */
	const struct cmd_field	*fields;	/* departures, or NULL */
	const struct output_column *columns;	/* what list shows */
	size_t			 ncolumns;
	/* Fields the noun's own options set (add, edit), or NULL; returns
	 * 0 or an exit code after a message. */
	int			(*fill)(json_t *, const struct cmd_args *,
				    int patch);
};

extern const struct cmd_entry	cmd_action_entry;
extern const struct cmd_entry	cmd_area_entry;
extern const struct cmd_entry	cmd_assignment_entry;
extern const struct cmd_entry	cmd_audit_entry;
extern const struct cmd_entry	cmd_auditor_entry;
extern const struct cmd_entry	cmd_backup_entry;
extern const struct cmd_entry	cmd_declaration_entry;
extern const struct cmd_entry	cmd_evaluation_entry;
extern const struct cmd_entry	cmd_events_entry;
extern const struct cmd_entry	cmd_export_entry;
extern const struct cmd_entry	cmd_finding_entry;
extern const struct cmd_entry	cmd_import_entry;
extern const struct cmd_entry	cmd_me_entry;
extern const struct cmd_entry	cmd_principal_entry;
extern const struct cmd_entry	cmd_programme_entry;
extern const struct cmd_entry	cmd_qualification_entry;
extern const struct cmd_entry	cmd_report_entry;
extern const struct cmd_entry	cmd_token_entry;
extern const struct cmd_entry	cmd_training_entry;

/*
 * A verb's options: its table's and those generated from its noun's
 * schema, sorted by name, ending with a NULL name. Generated names,
 * metavariables and help texts belong to the set; choices and prop point
 * into the schema, which must outlive the set.
 */
struct cmd_optset {
	struct cmd_opt	*opts;
	size_t		 n;
	char		**owned;
	size_t		 nowned;
};

/*
 * The noun's built-in schema (schema_builtin(e->type); it belongs to that
 * module), or NULL when e has none or it failed (a message on stderr).
 */
const struct schema	*cmd_schema(const struct cmd_entry *);

/*
 * Build v's option set from its table and, as v->gen says, from schema s
 * (NULL: none) with e's departures; e may be NULL only for a verb without
 * generated options. Returns 0, or -1 after a message on stderr when memory
 * ran out, e has a type but s is NULL, or two options share a name (the
 * tables are wrong). Free the set with cmd_optset_free (also after a
 * failure).
 */
int	cmd_optset_build(const struct cmd_entry *, const struct cmd_verb *,
	    const struct schema *, struct cmd_optset *);
void	cmd_optset_free(struct cmd_optset *);

/* The values given for one option, in command-line order. */
struct cmd_optval {
	size_t		 n;
	const char	**v;
};

/* A parsed command line; strings point into the caller's argv. */
struct cmd_args {
	const struct cmd_entry	*entry;
	const struct cmd_verb	*verb;
	const struct schema	*schema;	/* the options' schema, or NULL */
	int			 argc;		/* positional arguments */
	char			**argv;
	struct cmd_optset	 set;		/* the verb's options */
	struct cmd_optval	*vals;		/* one per option of set */
	/* What the generated options make (cmd_args_parse): the record of
	 * add, the merge patch of edit, the filters of list; else NULL. */
	json_t			*doc;
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
 * 1 if the nouns and every noun's verbs are in strictly ascending order and
 * every verb's option set builds (no two options of a verb, generated ones
 * included, share a name), 0 otherwise (bsearch or getopt would miss).
 */
int	cmd_tables_sorted(const struct cmd_entry *const *, size_t);

#define CMD_NEAR_MAX	64	/* longer words get no suggestion */

/*
 * The name among names[0..n-1] that word most likely meant: the only one
 * word is a prefix of, else the only one nearest by Damerau-Levenshtein
 * distance (adjacent transpositions count one) when that is at most 2 and
 * less than the name's length. NULL when none is close or two are equally
 * close. Returns one of names.
 */
const char	*cmd_nearest(const char *word, const char *const *names,
		    size_t n);

/*
 * "unknown verb 'NOUN WORD'", with the nearest verb when one is close, as
 * a usage error. Returns CMD_USAGE.
 */
int	cmd_unknown_verb(const struct cmd_entry *, const char *word);

#define CMD_PARSE_GLOBAL	0x1	/* stop at the first non-option */

/*
 * Parse a verb's arguments (argv[0] is the verb) with getopt_long built from
 * its option set (cmd_optset_build with the noun's built-in schema);
 * --json, --csv and --help are also accepted there. With CMD_PARSE_GLOBAL
 * (argv[0] is the program), parsing stops at the first non-option and the
 * positional count is not checked. Unless --help was given, a missing
 * required option, a value outside an option's choices and a CMD_OPT_DATE
 * value that is not a date are usage errors,
 * and the document of a verb with generated options is made into args->doc
 * (cmd_body, cmd_filters), so that whatever the command line gets wrong is
 * found before settings are read or a request is made.
 * Returns 0 and fills args (free with cmd_args_free), or CMD_USAGE after a
 * message on stderr. *help is set when --help was given; *format to what
 * --json/--csv asked for (left alone otherwise).
 * cmd_args_parse_schema does the same with schema s instead of the noun's.
 */
int	cmd_args_parse(const struct cmd_entry *, const struct cmd_verb *,
	    int, char **, int flags, struct cmd_args *, int *help,
	    enum cmd_format *);
int	cmd_args_parse_schema(const struct cmd_entry *,
	    const struct cmd_verb *, const struct schema *, int, char **,
	    int flags, struct cmd_args *, int *help, enum cmd_format *);
void	cmd_args_free(struct cmd_args *);

/* The last value of option name, or NULL if it was not given. */
const char	*cmd_arg(const struct cmd_args *, const char *name);
/* Every value of option name; the count is returned, the array in *v. */
size_t		 cmd_arg_all(const struct cmd_args *, const char *name,
		    const char *const **v);

/*
 * Usage texts generated from the tables and the noun's schema. verb's
 * options are listed with their choices, the required ones marked.
 */
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
 * Set body's field from every value of the repeatable option opt, each
 * made into an item of the list by one(a, value, list, arg) (which sees
 * the items before it, and answers 0 or CMD_USAGE after a message): the
 * whole list, or null for a single '' when patch (edit). Nothing when opt
 * was not given. what names a value in the message for '' on add.
 */
int	cmd_list_fill(json_t *body, const struct cmd_args *, int patch,
	    const char *opt, const char *field, const char *what,
	    int (*one)(const struct cmd_args *, const char *v, json_t *list,
	    void *arg), void *arg);

/*
 * Append "/COLLECTION/ID[/SUFFIX]" to a fresh path in buf (size len) after
 * checking id is a record id; "COLLECTION/ID", as evidence is named, is
 * taken for ID. Returns 0, or CMD_USAGE after a message.
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
 * The document the generated field options and the noun's fill make: a new
 * record, or with patch set a merge patch (RFC 7396; '' becomes null,
 * removing an optional field; an empty patch is refused). It is checked
 * against the schema as far as a client can (fields the server fills are
 * left to it; the server stays the authority); --NAME with --no-NAME is
 * refused. Returns 0 and the object in *out (the caller's reference), or
 * CMD_USAGE after a message naming the options at fault.
 */
int	cmd_body(const struct cmd_args *, int patch, json_t **out);

/*
 * The given list filters as an object of field: value, checked against the
 * schema as cmd_body does (a value no record can have is a usage error, not
 * an empty list), and the table's filters (CMD_OPT_FILTER without a field)
 * as option name: value. Returns 0 and the object in *out (the caller's
 * reference), or CMD_USAGE after a message.
 */
int	cmd_filters(const struct cmd_args *, json_t **out);

/*
 * Lower-case hex SHA-256 of the DER of the one certificate in path (PEM or
 * DER): what the server maps client certificates by. Returns 0, or -1 with
 * a message naming the file in err (unreadable, not a certificate, or more
 * than one). out must hold 65 bytes.
 */
int	cmd_principal_cert_sha256(const char *path, char *out, char *err,
	    size_t errlen);

#endif
