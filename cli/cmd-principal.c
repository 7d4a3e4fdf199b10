/*
 * cmd-principal.c: `auditorctl principal ...`: who may call the API
 * (/v1/principals, admin only): add, edit, list, show, disable, enable,
 * delete. Fields, choices, required fields and filters come from
 * principal.schema.json; here are the certificates, which add and edit take
 * as files (hashed here) or digests rather than as the certs field, and the
 * columns of a list.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include "cmd.h"
#include "request.h"
#include "log.h"
#include "util.h"

static const struct output_column principal_columns[] = {
	{ "ID", "id", 0 },
	{ "NAME", "name", OUTPUT_TRUNC },
	{ "ROLE", "role", 0 },
	{ "AUDITOR", "auditor", 0 },
	{ "CERTS", "certs", OUTPUT_COUNT },
	{ "DISABLED", "disabled", 0 },
};

/* certs: set from --cert and --sha256 (principal_fill). */
static const struct cmd_field principal_fields[] = {
	{ .name = "auditor", .arg = "ID" },
	{ .name = "certs", .flags = CMD_FIELD_HIDE },
	{ .name = NULL }
};

static const struct cmd_opt add_opts[] = {
	{ .name = "cert", .arg = "PEMFILE", .flags = CMD_OPT_REPEAT,
	    .help = "A client certificate (one PEM or DER certificate per "
	    "file); auditorctl sends its SHA-256." },
	{ .name = "sha256", .arg = "HEX", .flags = CMD_OPT_REPEAT,
	    .help = "A client certificate's SHA-256 (of its DER)." },
	{ .name = NULL }
};

/* edit: the same certificate options, which replace the whole list. */
static const struct cmd_opt edit_opts[] = {
	{ .name = "cert", .arg = "PEMFILE", .flags = CMD_OPT_REPEAT,
	    .help = "A client certificate; the ones given replace the "
	    "principal's certificates." },
	{ .name = "sha256", .arg = "HEX", .flags = CMD_OPT_REPEAT,
	    .help = "A client certificate's SHA-256; as --cert." },
	REQUEST_IF_MATCH_OPT,
	{ .name = NULL }
};

int
cmd_principal_cert_sha256(const char *path, char *out, char *err,
    size_t errlen)
{
	mbedtls_x509_crt	crt;
	unsigned char		md[32];
	char			msg[128];
	int			rc, ret = -1;

	mbedtls_x509_crt_init(&crt);
	/* > 0: that many certificates in the file failed to parse. */
	if ((rc = mbedtls_x509_crt_parse_file(&crt, path)) != 0) {
		if (rc > 0)
			snprintf(msg, sizeof msg, "not a valid certificate");
		else if (rc == MBEDTLS_ERR_X509_FILE_IO_ERROR)
			snprintf(msg, sizeof msg, "cannot read the file");
		else
			snprintf(msg, sizeof msg, "not a PEM or DER certificate"
			    " (mbedTLS -0x%04x)", (unsigned)-rc);
		snprintf(err, errlen, "%s: %s", path, msg);
		goto done;
	}
	if (crt.next != NULL && crt.next->raw.len > 0) {
		snprintf(err, errlen, "%s: holds more than one certificate; "
		    "give each in its own file", path);
		goto done;
	}
	if (mbedtls_sha256_ret(crt.raw.p, crt.raw.len, md, 0) != 0) {
		snprintf(err, errlen, "%s: cannot hash the certificate", path);
		goto done;
	}
	util_hex(md, sizeof md, out);
	ret = 0;
 done:
	mbedtls_x509_crt_free(&crt);
	return ret;
}

/* 64 hex digits, lower-cased into out. */
static int
sha256_hex(const char *s, char out[SHA256_HEX])
{
	size_t	i;

	if (strlen(s) != 64)
		return -1;
	for (i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	out[64] = '\0';
	return 0;
}

static int
add_digest(json_t *certs, const char *hex)
{
	json_t	*e;
	size_t	 i;

	json_array_foreach(certs, i, e)
		if (strcmp(json_string_value(e), hex) == 0)
			return 0;
	return json_array_append_new(certs, json_string(hex));
}

/*
 * The certs field from --cert and --sha256: add's list, or edit's new list
 * (a merge patch replaces an array whole).
 */
static int
principal_fill(json_t *body, const struct cmd_args *a, int patch)
{
	const char *const	*v;
	json_t			*certs;
	char			 hex[SHA256_HEX], err[512];
	size_t			 i, n;
	int			 rc = CMD_USAGE;

	(void)patch;
	if ((certs = json_array()) == NULL)
		return CMD_USAGE;
	n = cmd_arg_all(a, "cert", &v);
	for (i = 0; i < n; i++) {
		if (cmd_principal_cert_sha256(v[i], hex, err, sizeof err) == -1) {
			rc = cmd_usage_error(a->entry, a->verb, "--cert %s", err);
			goto done;
		}
		if (add_digest(certs, hex) == -1)
			goto done;
	}
	n = cmd_arg_all(a, "sha256", &v);
	for (i = 0; i < n; i++) {
		if (sha256_hex(v[i], hex) == -1) {
			rc = cmd_usage_error(a->entry, a->verb, "--sha256: '%s' "
			    "is not 64 hex digits", v[i]);
			goto done;
		}
		if (add_digest(certs, hex) == -1)
			goto done;
	}
	if (json_array_size(certs) > 0 &&
	    json_object_set(body, "certs", certs) == -1)
		goto done;
	rc = 0;
 done:
	json_decref(certs);
	return rc;
}

static int
principal_disable(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "POST", "disable", 1);
}

static int
principal_enable(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "POST", "enable", 1);
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb principal_verbs[] = {
	{ .name = "add", .help = "Add a principal: who may call the API, "
	    "with which role.", .opts = add_opts, .gen = CMD_GEN_ADD,
	    .exec = request_add },
	REQUEST_DELETE("Delete a principal: its certificates answer 401 "
	    "and may map another principal."),
	{ .name = "disable", .args = "ID", .nargs = 1, .help = "Disable a "
	    "principal: its certificates answer 401.",
	    .opts = request_change_opts, .exec = principal_disable },
	{ .name = "edit", .args = "ID", .nargs = 1, .help = "Change a "
	    "principal's fields (a merge patch); --cert or --sha256 replace "
	    "its certificates.", .opts = edit_opts, .gen = CMD_GEN_EDIT,
	    .exec = request_edit },
	{ .name = "enable", .args = "ID", .nargs = 1, .help = "Enable a "
	    "disabled principal again: its certificates are let in.",
	    .opts = request_change_opts, .exec = principal_enable },
	REQUEST_LIST("List principals."),
	REQUEST_SHOW("Show one principal."),
};

const struct cmd_entry cmd_principal_entry = {
	.name = "principal",
	.help = "Who may call the API (admin only).",
	.verbs = principal_verbs,
	.nverbs = sizeof principal_verbs / sizeof *principal_verbs,
	.collection = "principals",
	.type = "principal",
	.fields = principal_fields,
	.columns = principal_columns,
	.ncolumns = sizeof principal_columns / sizeof *principal_columns,
	.fill = principal_fill,
};
