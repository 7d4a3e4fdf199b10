/*
 * cmd-me.c: `auditorctl me`: who the server takes the caller for (/v1/me):
 * the principal and, for role auditor, the auditor profile and their
 * status, which a table draws as `auditor status` does.
 */
#include "cmd.h"
#include "request.h"
#include "status.h"

static int
me_show(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	json_t	*doc = NULL;
	int	 rc;

	(void)a;
	if ((rc = request_call(ctx, "GET", "/me", NULL, NULL, &doc)) == 0)
		rc = status_show_me(ctx, doc);
	json_decref(doc);
	return rc;
}

static const struct cmd_verb me_verbs[] = {
	{ .name = "show", .help = "Show the caller's principal and auditor "
	    "profile.", .exec = me_show },
};

const struct cmd_entry cmd_me_entry = {
	.name = "me",
	.help = "Who the server takes you for.",
	.verbs = me_verbs,
	.nverbs = sizeof me_verbs / sizeof *me_verbs,
	.dflt = "show",
};
