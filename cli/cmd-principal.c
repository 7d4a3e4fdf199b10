/*
 * cmd-principal.c: `auditorctl principal ...`: who may call the API
 * (/v1/principals, admin only): add (certificates given as PEM files are
 * hashed here), list, show, disable.
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

#define ROLES	"admin manager hr auditor viewer"

static const struct output_column principal_columns[] = {
	{ "ID", "id", 0 },
	{ "NAME", "name", OUTPUT_TRUNC },
	{ "ROLE", "role", 0 },
	{ "AUDITOR", "auditor", 0 },
	{ "CERTS", "certs", OUTPUT_COUNT },
	{ "DISABLED", "disabled", 0 },
};

static const struct cmd_opt add_opts[] = {
	{ "auditor", "ID", 0, NULL, "the auditor whose records are their own "
	    "(role auditor)" },
	{ "cert", "PEMFILE", CMD_OPT_REPEAT, NULL, "a client certificate "
	    "(one PEM certificate per file)" },
	{ "id", "ID", 0, NULL, "record id (default: the server makes one)" },
	{ "name", "NAME", 0, NULL, "name" },
	{ "role", "ROLE", 0, ROLES, "role" },
	{ "sha256", "HEX", CMD_OPT_REPEAT, NULL, "a client certificate's "
	    "SHA-256 (of its DER)" },
	{ NULL, NULL, 0, NULL, NULL }
};

static const struct cmd_opt list_opts[] = {
	REQUEST_LIST_OPTS("ID"),
	{ NULL, NULL, 0, NULL, NULL }
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

static int
certs_field(json_t *body, const struct cmd_args *a)
{
	const char *const	*v;
	json_t			*certs;
	char			 hex[SHA256_HEX], err[512];
	size_t			 i, n;
	int			 rc = CMD_USAGE;

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

/* A principal's fields; the add verb is its only writer (no patch). */
static int
principal_fields(json_t *body, const struct cmd_args *a, int patch)
{
	static const char *const	strings[] = { "auditor", "name", "role",
	    NULL };
	int				rc;

	if ((rc = cmd_body_strings(body, a, strings, patch)) != 0)
		return rc;
	return certs_field(body, a);
}

static int
principal_add(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_add(ctx, a, "principals", principal_fields);
}

static int
principal_disable(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_change(ctx, a, "POST", "principals", "disable", 1);
}

static int
principal_list(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_list(ctx, a, "principals", NULL, principal_columns,
	    sizeof principal_columns / sizeof *principal_columns);
}

static int
principal_show(struct cmd_ctx *ctx, const struct cmd_args *a)
{
	return request_show(ctx, a, "principals");
}

/* Sorted by name: cmd_find_verb() searches it with bsearch. */
static const struct cmd_verb principal_verbs[] = {
	{ "add", NULL, 0, "Add a principal: who may call the API, with "
	    "which role.", add_opts, principal_add },
	{ "disable", "ID", 1, "Disable a principal: its certificates answer "
	    "401.", request_change_opts, principal_disable },
	{ "list", NULL, 0, "List principals.", list_opts, principal_list },
	{ "show", "ID", 1, "Show one principal.", NULL, principal_show },
};

const struct cmd_entry cmd_principal_entry = {
	"principal", "Who may call the API (admin only).", principal_verbs,
	sizeof principal_verbs / sizeof *principal_verbs, NULL
};
