/*
 * cases_cli.c: the real auditorctl against the real daemon: every verb in
 * plain (not a terminal), --json and --csv output, checked against what
 * curl sees, and the exit codes 0, 2, 3 and 4.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"


/* Run auditorctl; print what it said when the exit code is not want. */
int
cli_exit_is(struct proc *p, int want)
{
	if (p->code == want)
		return 1;
	printf("\n  ** auditorctl exit %d, expected %d%s\n  stdout: %.1500s\n"
	    "  stderr: %.1500s\n", p->code, want, p->timed_out ?
	    " (timed out)" : "", p->out, p->err);
	return 0;
}


/* 1 if stderr holds text: the server's problem, as the CLI words it. */
static int
err_has(const struct proc *p, const char *text)
{
	if (strstr(p->err, text) != NULL)
		return 1;
	printf("\n  ** stderr does not say '%s': %.1500s\n", text, p->err);
	return 0;
}

/* 1 if one line of out holds every one of the NULL-ended strings. */
int
cli_line_has(const char *out, ...)
{
	const char	*line = out, *nl, *s;
	va_list		 ap;

	for (; *line != '\0'; line = nl + 1) {
		int	all = 1;
		size_t	n;

		nl = strchr(line, '\n');
		n = nl != NULL ? (size_t)(nl - line) : strlen(line);
		va_start(ap, out);
		while ((s = va_arg(ap, const char *)) != NULL)
			if (memmem(line, n, s, strlen(s)) == NULL)
				all = 0;
		va_end(ap);
		if (all)
			return 1;
		if (nl == NULL)
			break;
	}
	printf("\n  ** no line holds all the expected strings in:\n%s\n", out);
	return 0;
}

/* The parsed --json output, or NULL (printing it). */
json_t *
cli_json_out(const struct proc *p)
{
	json_error_t	 e;
	json_t		*j = json_loadb(p->out, p->outlen, 0, &e);

	if (j == NULL)
		printf("\n  ** --json output is not JSON (%s): %.1500s\n",
		    e.text, p->out);
	return j;
}

/* The array of a JSON list output: a bare array or {"items": [...]}. */
json_t *
cli_json_list(json_t *j)
{
	return json_is_array(j) ? j : json_object_get(j, "items");
}

/*
 * Split one CSV record (RFC 4180: quotes, doubled quotes) at *pos into
 * fields; returns the field count (at most max) and advances *pos.
 */
static int
csv_record(const char **pos, char fields[][256], int max)
{
	const char	*p = *pos;
	int		 n = 0;
	size_t		 k;

	if (*p == '\0')
		return 0;
	for (;;) {
		k = 0;
		if (*p == '"') {
			for (p++; *p != '\0'; p++) {
				if (*p == '"' && p[1] == '"')
					p++;
				else if (*p == '"') {
					p++;
					break;
				}
				if (n < max && k < 255)
					fields[n][k++] = *p;
			}
		}
		for (; *p != ',' && *p != '\n' && *p != '\r' && *p != '\0'; p++)
			if (n < max && k < 255)
				fields[n][k++] = *p;
		if (n < max)
			fields[n][k] = '\0';
		n++;
		if (*p != ',')
			break;
		p++;
	}
	if (*p == '\r')
		p++;
	if (*p == '\n')
		p++;
	*pos = p;
	return n < max ? n : max;
}

/*
 * In CSV output: the value of column col in the row whose "id" column is
 * id, copied into out. 1 if found.
 */
int
cli_csv_get(const char *csv, const char *id, const char *col, char *out,
    size_t len)
{
	char		 head[32][256], row[32][256];
	const char	*pos = csv;
	int		 nh, nr, idc = -1, cc = -1, i;

	nh = csv_record(&pos, head, 32);
	for (i = 0; i < nh; i++) {
		if (strcmp(head[i], "id") == 0)
			idc = i;
		if (strcmp(head[i], col) == 0)
			cc = i;
	}
	if (idc >= 0 && cc >= 0)
		while ((nr = csv_record(&pos, row, 32)) > 0)
			if (nr > idc && nr > cc && strcmp(row[idc], id) == 0) {
				snprintf(out, len, "%s", row[cc]);
				return 1;
			}
	printf("\n  ** no CSV row with id '%s' and column '%s' in:\n%s\n", id,
	    col, csv);
	return 0;
}

/* GET path as admin; the member key of the answer ("" if none). */
static void
server_str(const char *path, const char *key, char *out, size_t len)
{
	struct resp	r;

	client_http(&r, "admin", "GET", path, NULL, NULL);
	snprintf(out, len, "%s", r.status == 200 ? client_sv(r.json, key) : "");
	client_resp_free(&r);
}

/*
 * 1 if list (the CLI's) holds exactly the ids the server lists at path
 * (pages of limit=1000, followed to the end: other cases may have made
 * more than one page), in the same order.
 */
static int
same_ids(json_t *list, const char *path)
{
	struct resp	 r;
	json_t		*next, *v;
	char		 page[512], after[128] = "";
	size_t		 i, n = 0;
	int		 ok = json_is_array(list), more = 1;

	while (ok && more) {
		snprintf(page, sizeof page, "%s%s%s", path,
		    after[0] ? "&after=" : "", after);
		client_http(&r, "admin", "GET", page, NULL, NULL);
		ok = r.status == 200;
		json_array_foreach(json_object_get(r.json, "items"), i, v) {
			if (strcmp(client_sv(v, "id"), client_sv(
			    json_array_get(list, n), "id")) != 0)
				ok = 0;
			n++;
		}
		next = json_object_get(r.json, "next");
		more = json_is_string(next);
		snprintf(after, sizeof after, "%s", client_s(next));
		client_resp_free(&r);
	}
	ok = ok && n == json_array_size(list);
	if (!ok)
		printf("\n  ** the CLI listed %zu records, the server %zu%s\n",
		    json_array_size(list), n, more ? " or more" : "");
	return ok;
}

void
cli_usage(void)
{
	struct proc	 p;
	const char	*none[] = { NULL };

	client_ctlv(&p, NULL, none);
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(p.errlen > 0);
	harness_proc_free(&p);
	CTL(&p, "admin", "auditor", "frobnicate");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(p.errlen > 0);
	harness_proc_free(&p);
	CTL(&p, "admin", "no-such-noun", "list");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
	CTL(&p, "admin", "--no-such-option", "me");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
	/* A usage error is found before any connection: no record made. */
	CTL(&p, "admin", "auditor", "add", "--id", "cli-usage", "--bogus",
	    "x");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/auditors/cli-usage") == -1);

	/* The schema says what add needs: no --name, no request. */
	CTL(&p, "admin", "auditor", "add", "--id", "cli-usage", "--email",
	    "u@example.org", "--unit", "Usage");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(p.err != NULL && strstr(p.err, "--name") != NULL);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/auditors/cli-usage") == -1);
	/* A value outside the schema's enum is refused, not sent. */
	CTL(&p, "admin", "auditor", "add", "--id", "cli-usage", "--name", "U",
	    "--email", "u@example.org", "--employment", "freelance");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(p.err != NULL && strstr(p.err, "internal, external") !=
	    NULL);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/auditors/cli-usage") == -1);
	/* A filter no auditor can match is an error, not an empty list. */
	CTL(&p, "admin", "auditor", "list", "--status", "bogus");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(p.outlen == 0);
	CU_ASSERT(p.err != NULL && strstr(p.err, "'bogus' is not one of: "
	    "active, suspended, retired") != NULL);
	harness_proc_free(&p);
	CTL(&p, "admin", "audtior", "list");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(p.err != NULL && strstr(p.err, "unknown noun 'audtior'; did "
	    "you mean 'auditor'?") != NULL);
	harness_proc_free(&p);
	/* As near to audit as to auditor: no guess. */
	CTL(&p, "admin", "auditr", "list");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(p.err != NULL && strstr(p.err, "unknown noun 'auditr'") !=
	    NULL && strstr(p.err, "did you mean") == NULL);
	harness_proc_free(&p);
}

void
cli_auditor(void)
{
	struct proc	 p;
	json_t		*j, *a;
	char		 v[256];

	CTL(&p, "admin", "auditor", "add", "--id", "cli-a", "--name",
	    "Carla Lopez", "--unit", "IT Operations", "--email",
	    "carla@example.org", "--language", "en");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	server_str("/v1/auditors/cli-a", "name", v, sizeof v);
	CU_ASSERT_STRING_EQUAL(v, "Carla Lopez");
	server_str("/v1/auditors/cli-a", "unit", v, sizeof v);
	CU_ASSERT_STRING_EQUAL(v, "IT Operations");
	server_str("/v1/auditors/cli-a", "email", v, sizeof v);
	CU_ASSERT_STRING_EQUAL(v, "carla@example.org");

	/* A whole document, so that the existing id is the only fault. */
	CTL(&p, "admin", "auditor", "add", "--id", "cli-a", "--name", "Again",
	    "--email", "again@example.org");
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(err_has(&p, "Conflict: a record with this id exists"));
	harness_proc_free(&p);

	/* Its own page of auditors for the paging and the filters. */
	for (int i = 0; i < 12; i++) {
		snprintf(v, sizeof v, "cli-pg-%02d", i);
		CU_ASSERT_FATAL(cases_make_auditor(v, "CliPaging"));
	}
	for (int i = 3; i <= 7; i += 4) {
		struct resp	r;

		snprintf(v, sizeof v, "/v1/auditors/cli-pg-%02d/retire", i);
		client_http(&r, "admin", "POST", v, NULL, NULL);
		EXPECT_STATUS(&r, 200);
		client_resp_free(&r);
	}

	CTL(&p, "admin", "auditor", "list");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "cli-a", "Carla Lopez", NULL));
	CU_ASSERT(cli_line_has(p.out, "cli-pg-00", NULL));
	CU_ASSERT(strchr(p.out, '\033') == NULL);	/* no terminal codes */
	harness_proc_free(&p);

	/* Lists are whole: every page is followed, nothing else added. */
	CTL(&p, "admin", "--json", "auditor", "list");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	a = client_find(cli_json_list(j), "cli-a");
	CU_ASSERT(a != NULL && strcmp(client_sv(a, "name"), "Carla Lopez") == 0);
	CU_ASSERT(same_ids(cli_json_list(j), "/v1/auditors?limit=1000"));
	json_decref(j);
	harness_proc_free(&p);

	/* One page on request, and the filters. */
	CTL(&p, "admin", "--json", "auditor", "list", "--unit", "CliPaging",
	    "--limit", "5");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT(json_array_size(cli_json_list(j)) == 5);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(cli_json_list(j), 0), "id"),
	    "cli-pg-00");
	snprintf(v, sizeof v, "%s", client_sv(j, "next"));
	CU_ASSERT_STRING_EQUAL(v, "cli-pg-04");
	json_decref(j);
	harness_proc_free(&p);
	CTL(&p, "admin", "--json", "auditor", "list", "--unit", "CliPaging",
	    "--limit", "5", "--after", v);
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT(json_array_size(cli_json_list(j)) == 5);
	CU_ASSERT_STRING_EQUAL(client_sv(json_array_get(cli_json_list(j), 0), "id"),
	    "cli-pg-05");
	json_decref(j);
	harness_proc_free(&p);
	CTL(&p, "admin", "auditor", "list", "--unit", "CliPaging", "--status",
	    "retired");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "cli-pg-03", "retired", NULL));
	CU_ASSERT(cli_line_has(p.out, "cli-pg-07", "retired", NULL));
	CU_ASSERT(strstr(p.out, "cli-pg-04") == NULL);
	harness_proc_free(&p);

	CTL(&p, "admin", "--csv", "auditor", "list");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_csv_get(p.out, "cli-a", "name", v, sizeof v) &&
	    strcmp(v, "Carla Lopez") == 0);
	CU_ASSERT(cli_csv_get(p.out, "cli-a", "unit", v, sizeof v) &&
	    strcmp(v, "IT Operations") == 0);
	harness_proc_free(&p);

	CTL(&p, "admin", "auditor", "show", "cli-a");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "Carla Lopez", NULL));
	CU_ASSERT(cli_line_has(p.out, "carla@example.org", NULL));
	harness_proc_free(&p);
	CTL(&p, "admin", "--json", "auditor", "show", "cli-a");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT_STRING_EQUAL(client_sv(j, "id"), "cli-a");
	CU_ASSERT(json_integer_value(json_object_get(j, "rev")) == 1);
	json_decref(j);
	harness_proc_free(&p);
	CTL(&p, "admin", "--csv", "auditor", "show", "cli-a");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_csv_get(p.out, "cli-a", "email", v, sizeof v) &&
	    strcmp(v, "carla@example.org") == 0);
	harness_proc_free(&p);

	CTL(&p, "admin", "auditor", "edit", "cli-a", "--unit", "Finance");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	server_str("/v1/auditors/cli-a", "unit", v, sizeof v);
	CU_ASSERT_STRING_EQUAL(v, "Finance");
	server_str("/v1/auditors/cli-a", "name", v, sizeof v);
	CU_ASSERT_STRING_EQUAL(v, "Carla Lopez");
	CU_ASSERT(cases_rev("/v1/auditors/cli-a") == 2);

	CTL(&p, "admin", "auditor", "retire", "cli-a");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	server_str("/v1/auditors/cli-a", "status", v, sizeof v);
	CU_ASSERT_STRING_EQUAL(v, "retired");

	CTL(&p, "admin", "auditor", "delete", "cli-a");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/auditors/cli-a") == -1);
	CTL(&p, "admin", "auditor", "show", "cli-a");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
}

void
cli_area(void)
{
	struct proc	 p;
	json_t		*j;
	char		 v[256], first[80];
	struct resp	 r;

	CU_ASSERT_FATAL(cases_principal("hr"));
	CU_ASSERT_FATAL(cases_principal("manager"));
	client_http(&r, "admin", "GET", "/v1/areas?kind=knowledge&limit=1",
	    NULL, NULL);
	snprintf(first, sizeof first, "%s", client_sv(json_array_get(json_object_get(
	    r.json, "items"), 0), "id"));
	client_resp_free(&r);
	CU_ASSERT_FATAL(first[0] != '\0');

	CTL(&p, "hr", "area", "list");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, first, "knowledge", NULL));
	harness_proc_free(&p);
	CTL(&p, "hr", "--json", "area", "list");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT(same_ids(cli_json_list(j), "/v1/areas?limit=1000"));
	CU_ASSERT(client_find(cli_json_list(j), first) != NULL);
	json_decref(j);
	harness_proc_free(&p);
	CTL(&p, "hr", "--csv", "area", "list");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_csv_get(p.out, first, "kind", v, sizeof v) &&
	    strcmp(v, "knowledge") == 0);
	harness_proc_free(&p);

	CTL(&p, "hr", "area", "add", "--id", "cli-sector", "--title",
	    "Cli sector", "--kind", "sector");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	server_str("/v1/areas/cli-sector", "title", v, sizeof v);
	CU_ASSERT_STRING_EQUAL(v, "Cli sector");
	server_str("/v1/areas/cli-sector", "kind", v, sizeof v);
	CU_ASSERT_STRING_EQUAL(v, "sector");

	CTL(&p, "hr", "area", "show", "cli-sector");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "Cli sector", NULL));
	harness_proc_free(&p);
	CTL(&p, "hr", "--json", "area", "show", "cli-sector");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT_STRING_EQUAL(client_sv(j, "kind"), "sector");
	json_decref(j);
	harness_proc_free(&p);
	CTL(&p, "hr", "--csv", "area", "show", "cli-sector");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_csv_get(p.out, "cli-sector", "title", v, sizeof v) &&
	    strcmp(v, "Cli sector") == 0);
	harness_proc_free(&p);

	CTL(&p, "hr", "area", "edit", "cli-sector", "--title", "Renamed");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	server_str("/v1/areas/cli-sector", "title", v, sizeof v);
	CU_ASSERT_STRING_EQUAL(v, "Renamed");

	/* manager may read areas but not write them. */
	CTL(&p, "manager", "area", "delete", "cli-sector");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
	CTL(&p, "hr", "area", "delete", "cli-sector");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/areas/cli-sector") == -1);
}

void
cli_principal(void)
{
	struct proc	 p;
	struct resp	 r;
	json_t		*j;
	char		 cert[PATH_MAX], hex[65], v[256];

	CU_ASSERT_FATAL(cases_principal("hr"));
	harness_file(cert, "carol.crt");
	CTL(&p, "admin", "principal", "add", "--id", "cli-carol", "--name",
	    "Carol", "--role", "manager", "--cert", cert);
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	client_http(&r, "admin", "GET", "/v1/principals/cli-carol", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT(client_cert_sha256("carol", hex) == 0);
	CU_ASSERT_STRING_EQUAL(client_s(json_array_get(
	    json_object_get(r.json, "certs"), 0)), hex);
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "role"), "manager");
	client_resp_free(&r);
	/* The mapping works at once. */
	client_http(&r, "carol", "GET", "/v1/me", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "principal"),
	    "id"), "cli-carol");
	client_resp_free(&r);

	/* The same certificate cannot map a second principal. */
	CTL(&p, "admin", "principal", "add", "--id", "cli-carol2", "--name",
	    "Carol", "--role", "viewer", "--cert", cert);
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);

	CTL(&p, "admin", "auditor", "add", "--id", "cli-d", "--name",
	    "Dave Example", "--unit", "Legal", "--email", "dave@example.org",
	    "--language", "en");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	harness_file(cert, "dave.crt");
	CTL(&p, "admin", "principal", "add", "--id", "cli-dave", "--name",
	    "Dave", "--role", "auditor", "--auditor", "cli-d", "--cert", cert);
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	server_str("/v1/principals/cli-dave", "auditor", v, sizeof v);
	CU_ASSERT_STRING_EQUAL(v, "cli-d");

	CTL(&p, "admin", "principal", "list");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "cli-carol", "manager", NULL));
	CU_ASSERT(cli_line_has(p.out, "cli-dave", "auditor", NULL));
	harness_proc_free(&p);
	CTL(&p, "admin", "--json", "principal", "list");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT(client_find(cli_json_list(j), "admin") != NULL);
	CU_ASSERT(client_find(cli_json_list(j), "cli-dave") != NULL);
	json_decref(j);
	harness_proc_free(&p);
	CTL(&p, "admin", "--csv", "principal", "list");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_csv_get(p.out, "cli-carol", "role", v, sizeof v) &&
	    strcmp(v, "manager") == 0);
	harness_proc_free(&p);
	CTL(&p, "admin", "principal", "show", "cli-carol");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "manager", NULL));
	harness_proc_free(&p);
	CTL(&p, "admin", "--json", "principal", "show", "cli-carol");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT_STRING_EQUAL(client_sv(j, "id"), "cli-carol");
	json_decref(j);
	harness_proc_free(&p);

	/* hr may not see principals. */
	CTL(&p, "hr", "principal", "list");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);

	CTL(&p, "admin", "principal", "disable", "cli-carol");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	client_http(&r, "carol", "GET", "/v1/auditors", NULL, NULL);
	EXPECT_PROBLEM(&r, 401, "unauthorized");
	client_resp_free(&r);
	/* Enabled again: let in at once (the cache holds no stale "no"). */
	CTL(&p, "admin", "principal", "enable", "cli-carol");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	client_http(&r, "carol", "GET", "/v1/auditors", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	CTL(&p, "hr", "principal", "enable", "cli-carol");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);

	/* edit: fields as a merge patch; --sha256 replaces the certificates. */
	CTL(&p, "admin", "principal", "edit", "cli-carol", "--role", "viewer",
	    "--sha256", "AB00000000000000000000000000000000000000000000000000"
	    "000000000000");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	client_http(&r, "admin", "GET", "/v1/principals/cli-carol", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_STRING_EQUAL(client_sv(r.json, "role"), "viewer");
	CU_ASSERT(json_array_size(json_object_get(r.json, "certs")) == 1);
	CU_ASSERT_STRING_EQUAL(client_s(json_array_get(
	    json_object_get(r.json, "certs"), 0)), "ab00000000000000000000000"
	    "000000000000000000000000000000000000000");
	client_resp_free(&r);
	client_http(&r, "carol", "GET", "/v1/me", NULL, NULL);
	EXPECT_PROBLEM(&r, 401, "unauthorized");
	client_resp_free(&r);
	/* dave's certificate maps cli-dave already: a conflict. */
	CTL(&p, "admin", "principal", "edit", "cli-carol", "--cert", cert);
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
	/* Carol's back, as a file, and disabled in the same patch. */
	harness_file(cert, "carol.crt");
	CTL(&p, "admin", "principal", "edit", "cli-carol", "--cert", cert,
	    "--disabled", "true");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	client_http(&r, "admin", "GET", "/v1/principals/cli-carol", NULL, NULL);
	CU_ASSERT(json_is_true(json_object_get(r.json, "disabled")));
	client_resp_free(&r);
	client_http(&r, "carol", "GET", "/v1/me", NULL, NULL);
	EXPECT_PROBLEM(&r, 401, "unauthorized");
	client_resp_free(&r);
	/* Nothing to change, a bad digest, a stale revision: refused. */
	CTL(&p, "admin", "principal", "edit", "cli-carol");
	EXPECT_EXIT(&p, 2);
	harness_proc_free(&p);
	CTL(&p, "admin", "principal", "edit", "cli-carol", "--sha256", "xyz");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(strstr(p.err, "64 hex digits") != NULL);
	harness_proc_free(&p);
	CTL(&p, "admin", "principal", "edit", "cli-carol", "--if-match", "1",
	    "--name", "Carol C.");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
	CTL(&p, "hr", "principal", "edit", "cli-carol", "--name", "C");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);

	/* delete: gone, and its certificate may map another principal. */
	CTL(&p, "admin", "principal", "delete", "cli-carol");
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	CTL(&p, "admin", "principal", "show", "cli-carol");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
	CTL(&p, "admin", "principal", "delete", "cli-carol");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
	CTL(&p, "admin", "principal", "add", "--id", "cli-carol2", "--name",
	    "Carol", "--role", "viewer", "--cert", cert);
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
	client_http(&r, "carol", "GET", "/v1/me", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(r.json, "principal"),
	    "id"), "cli-carol2");
	client_resp_free(&r);
}

void
cli_me(void)
{
	struct proc	 p;
	json_t		*j;

	CU_ASSERT_FATAL(cases_principal("alice"));
	CTL(&p, "admin", "me");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "admin", NULL));
	harness_proc_free(&p);
	CTL(&p, "admin", "--json", "me");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(j, "principal"), "id"),
	    "admin");
	CU_ASSERT(json_is_null(json_object_get(j, "auditor")));
	json_decref(j);
	harness_proc_free(&p);

	/* An auditor principal: its profile too. */
	CTL(&p, "alice", "me");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "p-alice", NULL));
	CU_ASSERT(cli_line_has(p.out, "Alice Example", NULL));
	harness_proc_free(&p);
	CTL(&p, "alice", "--json", "me");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(j, "principal"), "id"),
	    "p-alice");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(j, "principal"),
	    "role"), "auditor");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(j, "auditor"), "id"),
	    "alice");
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(j, "auditor"),
	    "name"), "Alice Example");
	json_decref(j);
	harness_proc_free(&p);
}

/*
 * events head prints "SEQ HASH" of the verified chain; verify --head holds
 * the chain to it: a head saved earlier is still held after more changes,
 * one the chain never had is not (exit 1), a malformed one is a usage error.
 */
static void
cli_events_head(void)
{
	struct proc	 p;
	struct resp	 r;
	json_t		*j;
	char		 head[65], line[128], *sp;
	long long	 seq;

	CTL(&p, "admin", "events", "head");
	EXPECT_EXIT(&p, 0);
	snprintf(line, sizeof line, "%.*s", (int)p.outlen, p.out);
	harness_proc_free(&p);
	seq = strtoll(line, &sp, 10);
	CU_ASSERT_FATAL(seq > 0 && *sp == ' ' && strlen(sp + 1) == 65 &&
	    sp[65] == '\n');
	snprintf(head, sizeof head, "%.64s", sp + 1);
	client_http(&r, "admin", "GET", "/v1/events/verify", NULL, NULL);
	CU_ASSERT(client_int(&r, "count") >= seq);
	client_resp_free(&r);

	/* More changes: the saved head stays in the chain. */
	client_http(&r, "admin", "PATCH", "/v1/auditors/cli-ev",
	    "{\"unit\":\"CliEvents3\"}", NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);
	CTL(&p, "admin", "--json", "events", "verify", "--head", head);
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT(json_is_true(json_object_get(j, "ok")));
	CU_ASSERT(json_integer_value(json_object_get(j, "head_seq")) == seq);
	json_decref(j);
	harness_proc_free(&p);

	/* A head the chain never had: cut off, or rewritten. */
	memset(head, 'a', 64);
	CTL(&p, "admin", "--json", "events", "verify", "--head", head);
	EXPECT_EXIT(&p, 1);
	j = cli_json_out(&p);
	CU_ASSERT(json_is_false(json_object_get(j, "ok")));
	CU_ASSERT(json_integer_value(json_object_get(j, "bad_seq")) ==
	    json_integer_value(json_object_get(j, "count")) + 1);
	CU_ASSERT(strstr(client_sv(j, "detail"), "does not hold the head") !=
	    NULL);
	json_decref(j);
	CU_ASSERT(strstr(p.err, "broken") != NULL);
	harness_proc_free(&p);
	CTL(&p, "admin", "events", "verify", "--head", "abc");
	EXPECT_EXIT(&p, 2);
	CU_ASSERT(strstr(p.err, "64 of 0-9 a-f") != NULL);
	harness_proc_free(&p);
	/* The empty log's head is every chain's start. */
	memset(head, '0', 64);
	CTL(&p, "admin", "--json", "events", "verify", "--head", head);
	EXPECT_EXIT(&p, 0);
	harness_proc_free(&p);
}

void
cli_events(void)
{
	struct proc	 p;
	struct resp	 r;
	json_t		*j, *evs, *last;
	char		 seq[32];

	CU_ASSERT_FATAL(cases_principal("alice"));
	/* Its own changes, for the lines to look for. */
	CU_ASSERT_FATAL(cases_make_auditor("cli-ev", "CliEvents"));
	client_http(&r, "admin", "PATCH", "/v1/auditors/cli-ev",
	    "{\"unit\":\"CliEvents2\"}", NULL);
	EXPECT_STATUS(&r, 200);
	client_resp_free(&r);

	client_http(&r, "admin", "GET", "/v1/events/verify", NULL, NULL);
	EXPECT_STATUS(&r, 200);
	CU_ASSERT_FATAL(client_int(&r, "count") > 0);
	snprintf(seq, sizeof seq, "%lld", client_int(&r, "count"));
	client_resp_free(&r);

	CTL(&p, "admin", "--json", "events", "list");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	evs = cli_json_list(j);
	CU_ASSERT(json_array_size(evs) == (size_t)atoll(seq));
	last = json_array_get(evs, json_array_size(evs) - 1);
	CU_ASSERT(json_integer_value(json_object_get(last, "seq")) ==
	    atoll(seq));
	CU_ASSERT_STRING_EQUAL(client_sv(last, "record"), "cli-ev");
	CU_ASSERT_STRING_EQUAL(client_sv(last, "action"), "update");
	CU_ASSERT(strlen(client_sv(last, "hash")) == 64);
	json_decref(j);
	harness_proc_free(&p);

	CTL(&p, "admin", "events", "list");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(cli_line_has(p.out, "cli-ev", "create", NULL));
	harness_proc_free(&p);
	CTL(&p, "admin", "--csv", "events", "list");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(strncmp(p.out, "seq", 3) == 0);
	CU_ASSERT(cli_line_has(p.out, "auditors", "cli-ev", "update", NULL));
	harness_proc_free(&p);

	CTL(&p, "admin", "events", "verify");
	EXPECT_EXIT(&p, 0);
	CU_ASSERT(p.outlen > 0);
	harness_proc_free(&p);
	CTL(&p, "admin", "--json", "events", "verify");
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT(json_is_true(json_object_get(j, "ok")));
	CU_ASSERT(json_integer_value(json_object_get(j, "count")) ==
	    atoll(seq));
	json_decref(j);
	harness_proc_free(&p);
	/* An auditor principal may not read events. */
	CTL(&p, "alice", "events", "list");
	EXPECT_EXIT(&p, 3);
	harness_proc_free(&p);
	cli_events_head();
}

void
cli_environment(void)
{
	struct proc	 p;
	json_t		*j;
	char		 srv[128], ca[PATH_MAX + 32], crt[PATH_MAX + 32];
	char		 key[PATH_MAX + 32], f[PATH_MAX];
	const char	*env[] = { srv, ca, crt, key, NULL };
	const char	*args[] = { "--json", "me", NULL };

	CU_ASSERT_FATAL(cases_principal("alice"));
	snprintf(srv, sizeof srv, "AUDITORCTL_SERVER=%s", harness.url);
	snprintf(ca, sizeof ca, "AUDITORCTL_CA=%s", harness_file(f, "ca.crt"));
	snprintf(crt, sizeof crt, "AUDITORCTL_CERT=%s",
	    harness_file(f, "alice.crt"));
	snprintf(key, sizeof key, "AUDITORCTL_KEY=%s",
	    harness_file(f, "alice.key"));
	client_ctlv(&p, env, args);
	EXPECT_EXIT(&p, 0);
	j = cli_json_out(&p);
	CU_ASSERT_STRING_EQUAL(client_sv(json_object_get(j, "principal"), "id"),
	    "p-alice");
	json_decref(j);
	harness_proc_free(&p);
}

void
cli_refused(void)
{
	struct proc	p;

	CU_ASSERT_FATAL(cases_principal("manager"));
	CTL(&p, "manager", "auditor", "add", "--id", "cli-no", "--name", "N",
	    "--email", "n@example.org");
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(err_has(&p, "Forbidden: role manager may not change "
	    "auditors"));
	harness_proc_free(&p);
	CU_ASSERT(cases_rev("/v1/auditors/cli-no") == -1);
	CTL(&p, "admin", "auditor", "show", "no-such");
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(err_has(&p, "Not Found: no such record"));
	harness_proc_free(&p);
	CTL(&p, "admin", "--json", "area", "show", "no-such");
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(err_has(&p, "Not Found: no such record"));
	harness_proc_free(&p);
	/* bob's certificate maps to no principal: 401 is a refusal too. */
	CTL(&p, "bob", "me");
	EXPECT_EXIT(&p, 3);
	CU_ASSERT(err_has(&p, "Unauthorized"));
	harness_proc_free(&p);
}

void
cli_tls_failed(void)
{
	struct proc	 p;
	char		 port[16], url[64], f1[PATH_MAX], f2[PATH_MAX];
	char		 f3[PATH_MAX];
	const char	*args[16];

	/* The server's certificate is not from the CA we trust. */
	args[0] = "--server";
	args[1] = harness.url;
	args[2] = "--ca";
	args[3] = harness_file(f1, "rogue-ca.crt");
	args[4] = "--cert";
	args[5] = harness_file(f2, "admin.crt");
	args[6] = "--key";
	args[7] = harness_file(f3, "admin.key");
	args[8] = "me";
	args[9] = NULL;
	client_ctlv(&p, NULL, args);
	EXPECT_EXIT(&p, 4);
	harness_proc_free(&p);

	/* Our certificate is not from the server's CA. */
	args[3] = harness_file(f1, "ca.crt");
	args[5] = harness_file(f2, "rogue.crt");
	args[7] = harness_file(f3, "rogue.key");
	client_ctlv(&p, NULL, args);
	EXPECT_EXIT(&p, 4);
	harness_proc_free(&p);

	/* Nothing listens there. */
	CU_ASSERT_FATAL(harness_free_port(port, sizeof port) == 0);
	snprintf(url, sizeof url, "https://127.0.0.1:%s", port);
	args[1] = url;
	args[5] = harness_file(f2, "admin.crt");
	args[7] = harness_file(f3, "admin.key");
	client_ctlv(&p, NULL, args);
	EXPECT_EXIT(&p, 4);
	harness_proc_free(&p);
}

void
cli_server_down(void)
{
	struct proc	p;

	/* Run alone (AUDITORD_API_ONLY) the daemon is still up: stop it. */
	if (harness.pid != 0)
		CU_ASSERT_FATAL(harness_stop(5000) == 0);
	CTL(&p, "admin", "me");
	EXPECT_EXIT(&p, 4);
	CU_ASSERT(p.errlen > 0);
	harness_proc_free(&p);
}
