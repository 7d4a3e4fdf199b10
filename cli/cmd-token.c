/*
 * cmd-token.c: `auditorctl token ...`: bearer tokens (/v1/tokens, admin
 * only): create, list, show, revoke, delete. Fields, required fields and
 * filters come from token.schema.json; here are the verbs, the columns,
 * and the note that a new token's secret is shown this once.
 */
#include <stdio.h>

#include "cmd.h"
#include "request.h"

static const struct output_column token_columns[] = {
	{ "ID", "id", 0 },
	{ "NAME", "name", OUTPUT_TRUNC },
	{ "PRINCIPAL", "principal", 0 },
	{ "EXPIRES", "expires", 0 },
	{ "REVOKED", "revoked", 0 },
	{ "LAST_USED", "last_used", 0 },
};

static int
token_create(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	int	rc;

	if ((rc = request_add(ctx, a)) == CMD_OK)
		fprintf(stderr, "auditorctl: keep the secret now: it is shown "
		    "only this once (the server keeps only its SHA-256)\n");
	return rc;
}

static int
token_revoke(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "POST", "revoke", 1);
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb token_verbs[] = {
	{ .name = "create", .help = "Make a bearer token for a principal and "
	    "print its secret, once.", .gen = CMD_GEN_ADD,
	    .exec = token_create },
	REQUEST_DELETE("Delete a token (as revoke, and its record goes)."),
	REQUEST_LIST("List tokens (never their secrets)."),
	{ .name = "revoke", .args = "ID", .nargs = 1, .help = "Revoke a "
	    "token: its next request is answered 401.",
	    .opts = request_change_opts, .exec = token_revoke },
	REQUEST_SHOW("Show one token (never its secret)."),
};

const struct cmd_entry cmd_token_entry = {
	.name = "token",
	.help = "Bearer tokens that act as a principal (admin only).",
	.verbs = token_verbs,
	.nverbs = sizeof token_verbs / sizeof *token_verbs,
	.collection = "tokens",
	.type = "token",
	.columns = token_columns,
	.ncolumns = sizeof token_columns / sizeof *token_columns,
};
