/*
 * request.h: the requests command verbs make and the one place where the
 * server's answers become auditorctl's exit codes (request.c).
 */
#ifndef REQUEST_H
#define REQUEST_H

#include <stddef.h>

#include <jansson.h>

#include "cmd.h"
#include "output.h"

/*
 * One request: method and path under /v1 (e.g. "/auditors/x"), body (not
 * stolen; NULL for none), if_match or NULL. The client is made by the first
 * call and kept in ctx. On a 2xx answer returns CMD_OK and its JSON document
 * in *answer (the caller's reference; NULL when the answer had no body).
 * Otherwise prints why on stderr and returns the exit code: CMD_REFUSED
 * (4xx, with the problem's title, detail and errors), CMD_CONNECT, or
 * CMD_SERVER.
 */
int	request_call(struct cmd_ctx *, const char *method, const char *path,
	    json_t *body, const char *if_match, json_t **answer);

/*
 * request_call, and when the server refused (4xx) with a problem document,
 * that document in *problem too (the caller's reference; NULL otherwise),
 * for a refusal that carries more than words: a failed team check's
 * verdict. The problem is printed on stderr all the same.
 */
int	request_call_problem(struct cmd_ctx *, const char *method,
	    const char *path, json_t *body, const char *if_match,
	    json_t **answer, json_t **problem);

struct response;

/*
 * One request with a body of any type (ctype; body NULL: none) on path
 * under /v1, whose answer the caller reads itself: returns CMD_OK with the
 * answer in *out whatever its status (the caller frees it with
 * response_free), or, when none came, prints why and returns CMD_CONNECT
 * or CMD_SERVER (a malformed answer).
 */
int	request_send(struct cmd_ctx *, const char *method, const char *path,
	    const char *ctype, const char *body, size_t len,
	    struct response **out);

/*
 * GET path under /v1 with a 200 answer's body handed to sink as it
 * arrives (client_download); otherwise as request_send. A sink that
 * failed, or an answer cut short, is CMD_SERVER after a message.
 */
int	request_download(struct cmd_ctx *, const char *path,
	    int (*sink)(const void *, size_t, void *), void *arg,
	    struct response **out);

/*
 * For an answer that is not 2xx: print its problem (title, detail, errors)
 * on stderr and return its exit code, CMD_REFUSED for 4xx, CMD_SERVER
 * otherwise.
 */
int	request_refused(struct cmd_ctx *, const struct response *);

/* --if-match, which every change on one record takes. */
#define REQUEST_IF_MATCH_OPT						\
	{ .name = "if-match", .arg = "REV",				\
	    .help = "Only if the record is at revision REV." }

/* The options of a change that takes nothing but --if-match. */
extern const struct cmd_opt request_change_opts[];

/*
 * The options every list verb has, for its option table: where the list
 * starts (after_arg names the cursor: "ID", "SEQ"), one page or all.
 * request_list_opts holds them for lists of records (cursor ID).
 */
#define REQUEST_LIST_OPTS(after_arg)					\
	{ .name = "after", .arg = after_arg,				\
	    .help = "Start after " after_arg "." },			\
	{ .name = "all", .help = "With --limit: follow the pages to the end." },\
	{ .name = "limit", .arg = "N", .help = "One page of at most N "	\
	    "(1-1000) instead of the whole list." }
extern const struct cmd_opt request_list_opts[];

/*
 * A list of records that have a date: the list options and --from DATE and
 * --to DATE, which the server takes as ?from= and ?to= on the record's
 * date, both days included (what: "trainings dated", for the help). For an
 * option table of the noun's own, with REQUEST_LIST_DATED.
 */
#define REQUEST_LIST_DATED_OPTS(what)					\
	REQUEST_LIST_OPTS("ID"),					\
	{ .name = "from", .arg = "DATE", .flags = CMD_OPT_FILTER |	\
	    CMD_OPT_DATE, .help = "Only " what " on or after DATE." },	\
	{ .name = "to", .arg = "DATE", .flags = CMD_OPT_FILTER |	\
	    CMD_OPT_DATE, .help = "Only " what " on or before DATE." }

/*
 * The usual verbs of a noun of records, for its verb table (help is the
 * verb's one line); their options come from the noun's schema.
 */
#define REQUEST_ADD(help_)						\
	{ .name = "add", .help = (help_), .gen = CMD_GEN_ADD,		\
	    .exec = request_add }
#define REQUEST_DELETE(help_)						\
	{ .name = "delete", .args = "ID", .nargs = 1, .help = (help_),	\
	    .opts = request_change_opts, .exec = request_delete }
#define REQUEST_EDIT(help_)						\
	{ .name = "edit", .args = "ID", .nargs = 1, .help = (help_),	\
	    .opts = request_change_opts, .gen = CMD_GEN_EDIT,		\
	    .exec = request_edit }
#define REQUEST_LIST(help_)						\
	{ .name = "list", .help = (help_), .opts = request_list_opts,	\
	    .gen = CMD_GEN_FILTERS, .exec = request_list }
#define REQUEST_LIST_DATED(help_, opts_)				\
	{ .name = "list", .help = (help_), .opts = (opts_),		\
	    .gen = CMD_GEN_FILTERS, .exec = request_list_dated }
#define REQUEST_SHOW(help_)						\
	{ .name = "show", .args = "ID", .nargs = 1, .help = (help_),	\
	    .exec = request_show }

/*
 * A list verb on the noun's collection, shown in the noun's columns: the
 * filters cmd_args_parse made (args->doc) go into the query. The list starts after
 * --after CURSOR. Without --limit it is whole: every page is followed
 * (silently missing the 101st auditor would be worse than a longer wait);
 * --limit N asks for one page of at most N, or with --all for pages of N
 * to the end. Every item is printed as one list. Returns an exit code.
 */
int	request_list(struct cmd_ctx *, const struct cmd_args *);

/*
 * request_list for REQUEST_LIST_DATED_OPTS: a --from after --to, which no
 * record can match, is a usage error rather than an empty list.
 */
int	request_list_dated(struct cmd_ctx *, const struct cmd_args *);

/*
 * The usual record verbs on /COLLECTION/ID (the noun's collection; ID is
 * the verb's first argument), each returning an exit code:
 * request_show: GET it and print it.
 * request_change: METHOD on it (or on its SUFFIX action), conditional on
 *     --if-match; prints the answer when print is set.
 * request_delete: request_change with DELETE, printing nothing.
 * request_edit: PATCH it with the merge patch cmd_args_parse made
 *     (args->doc), conditional on --if-match; prints the answer.
 * request_add: POST to /COLLECTION the record cmd_args_parse made
 *     (args->doc); prints the new record.
 */
int	request_show(struct cmd_ctx *, const struct cmd_args *);
int	request_change(struct cmd_ctx *, const struct cmd_args *,
	    const char *method, const char *suffix, int print);
int	request_delete(struct cmd_ctx *, const struct cmd_args *);
int	request_edit(struct cmd_ctx *, const struct cmd_args *);
int	request_add(struct cmd_ctx *, const struct cmd_args *);

/*
 * Print one document (NULL: nothing) with ctx's output: FIELD VALUE pairs,
 * JSON or CSV. Returns an exit code (CMD_SERVER if it cannot be written).
 */
int	request_print(struct cmd_ctx *, const json_t *);

/*
 * Append "&key=value" ("?key=value" first) with value percent-encoded to the
 * NUL-terminated path and query in buf (size len). Returns 0, or -1 if it
 * does not fit (buf unchanged).
 */
int	request_query_add(char *, size_t, const char *key, const char *value);

/* Free what the requests acquired in ctx (the client); ctx stays usable. */
void	request_ctx_clear(struct cmd_ctx *);

/*
 * s with control characters (below 0x20, and 0x7f) written as \xHH, into
 * buf (cut to fit): for server text shown on a terminal. Returns buf.
 */
const char	*request_safe(const char *s, char *buf, size_t len);

#endif
