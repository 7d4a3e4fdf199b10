/*
 * cmd-events.c: `auditorctl events ...`: the change log (/v1/events), the
 * check of its hash chain (events verify, exit 1 when broken) and its head
 * to keep elsewhere (events head), so that a log cut short is found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "request.h"
#include "log.h"

static const struct output_column event_columns[] = {
	{ "SEQ", "seq", OUTPUT_RIGHT },
	{ "TIME", "time", 0 },
	{ "PRINCIPAL", "principal", 0 },
	{ "ACTION", "action", 0 },
	{ "TYPE", "type", 0 },
	{ "RECORD", "record", 0 },
	{ "REV", "rev", OUTPUT_RIGHT },
};

static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_OPTS("SEQ"),
	{ .name = NULL }
};

static int
events_list(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	long	seq;
	int	rc;

	/* Sequence numbers are JSON integers: at most 2^53 - 1. */
	if ((rc = cmd_arg_long(a, "after", 0, 9007199254740991L, &seq)) != 0)
		return rc;
	return request_list(ctx, a);
}

/* Also say it on stderr: the document on stdout may go to a file. */
static void
warn_broken(const json_t *doc)
{
	const char	*detail = json_string_value(json_object_get(doc,
			    "detail"));
	char		*seq = output_text(json_object_get(doc, "bad_seq"), 0);

	log_warnx("the change log's hash chain is broken at event %s%s%s",
	    seq != NULL && seq[0] != '\0' ? seq : "?", detail ? ": " : "",
	    detail ? detail : "");
	free(seq);
}

static const struct cmd_opt verify_opts[] = {
	{ .name = "head", .arg = "HASH", .help = "A head saved earlier "
	    "(events head): the chain must still hold it." },
	{ .name = NULL }
};

/* The verdict of GET /events/verify[?head=want]; *doc is the caller's. */
static int
verify_call(struct cmd_ctx *ctx, const char *want, json_t **doc)
{
	char	path[128];
	int	rc;

	if (want != NULL && (strlen(want) != 64 ||
	    strspn(want, "0123456789abcdef") != 64)) {
		log_warnx("--head must be a SHA-256 hash: 64 of 0-9 a-f");
		return CMD_USAGE;
	}
	snprintf(path, sizeof path, "/events/verify%s%s", want != NULL ?
	    "?head=" : "", want != NULL ? want : "");
	if ((rc = request_call(ctx, "GET", path, NULL, NULL, doc)) != 0)
		return rc;
	if (!json_is_boolean(json_object_get(*doc, "ok"))) {
		log_warnx("malformed answer from %s: no \"ok\" in the "
		    "verification", ctx->server);
		return CMD_SERVER;
	}
	return CMD_OK;
}

static int
events_verify(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	json_t	*doc = NULL;
	int	 rc;

	if ((rc = verify_call(ctx, cmd_arg(a, "head"), &doc)) == 0 &&
	    (rc = request_print(ctx, doc)) == 0 &&
	    json_is_false(json_object_get(doc, "ok"))) {
		warn_broken(doc);
		rc = CMD_FAILED;
	}
	json_decref(doc);
	return rc;
}

/*
 * The head of a chain that verifies, as "SEQ HASH": a head taken from a
 * broken chain would vouch for nothing, so it is refused (exit 1).
 */
static int
events_head(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	json_t		*doc = NULL;
	const char	*hash;
	int		 rc;

	(void)a;
	if ((rc = verify_call(ctx, NULL, &doc)) != 0)
		goto done;
	hash = json_string_value(json_object_get(doc, "head"));
	if (json_is_false(json_object_get(doc, "ok"))) {
		warn_broken(doc);
		rc = CMD_FAILED;
	} else if (hash == NULL ||
	    !json_is_integer(json_object_get(doc, "count"))) {
		log_warnx("malformed answer from %s: no head in the "
		    "verification", ctx->server);
		rc = CMD_SERVER;
	} else if (printf("%" JSON_INTEGER_FORMAT " %s\n",
	    json_integer_value(json_object_get(doc, "count")), hash) < 0 ||
	    fflush(stdout) != 0)
		rc = CMD_SERVER;
done:
	json_decref(doc);
	return rc;
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb events_verbs[] = {
	{ .name = "head", .help = "Print the verified chain's head (SEQ "
	    "HASH) to keep for events verify --head; exit 1 if the chain is "
	    "broken.", .exec = events_head },
	{ .name = "list", .help = "List the change log.", .opts = list_opts,
	    .exec = events_list },
	{ .name = "verify", .help = "Recompute the change log's hash chain; "
	    "exit 1 if it is broken or no longer holds --head.",
	    .opts = verify_opts, .exec = events_verify },
};

/* No type: events are only read, and the log takes no filters. */
const struct cmd_entry cmd_events_entry = {
	.name = "events",
	.help = "The change log and its hash chain.",
	.verbs = events_verbs,
	.nverbs = sizeof events_verbs / sizeof *events_verbs,
	.collection = "events",
	.columns = event_columns,
	.ncolumns = sizeof event_columns / sizeof *event_columns,
};
