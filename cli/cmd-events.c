/*
 * cmd-events.c: `auditorctl events ...`: the change log (/v1/events) and
 * the check of its hash chain (events verify, exit 1 when broken).
 */
#include <stdio.h>
#include <stdlib.h>

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

static int
events_verify(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	json_t	*doc = NULL, *ok;
	int	 rc;

	(void)a;
	if ((rc = request_call(ctx, "GET", "/events/verify", NULL, NULL,
	    &doc)) != 0)
		return rc;
	ok = json_object_get(doc, "ok");
	if (!json_is_boolean(ok)) {
		log_warnx("malformed answer from %s: no \"ok\" in the "
		    "verification", ctx->server);
		rc = CMD_SERVER;
	} else if ((rc = request_print(ctx, doc)) == 0 && json_is_false(ok)) {
		warn_broken(doc);
		rc = CMD_FAILED;
	}
	json_decref(doc);
	return rc;
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb events_verbs[] = {
	{ .name = "list", .help = "List the change log.", .opts = list_opts,
	    .exec = events_list },
	{ .name = "verify", .help = "Recompute the change log's hash chain; "
	    "exit 1 if it is broken.", .exec = events_verify },
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
