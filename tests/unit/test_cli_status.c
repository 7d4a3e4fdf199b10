/*
 * test_cli_status.c: what auditorctl draws of an auditor's status
 * (cli/status.c; also inside /v1/me), fed as JSON documents of the shape
 * the daemon answers: ASCII and UTF-8, nulls, empty lists and missing
 * parts, unsafe text, output that cannot be written.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu.h"
#include "cu-io.h"

#include "cmd.h"
#include "output.h"
#include "status.h"

/* The document of the API's description, as the daemon answers it. */
static const char example[] =
    "{\"auditor\":\"alice\",\"on\":\"2026-11-30\",\"fit\":false,"
    "\"gaps\":[{\"rule\":\"cpd\",\"detail\":\"18.5 verified CPD hours from "
    "2025-11-30 to 2026-11-30; 20 needed\"}],"
    "\"qualifications\":[{\"id\":\"q1\",\"kind\":\"auditor_certificate\","
    "\"standard\":\"ISO/IEC 27001\",\"issued\":\"2025-03-01\",\"expires\":"
    "\"2028-03-01\",\"state\":\"valid\",\"days_left\":820}],"
    "\"cpd\":{\"from\":\"2025-11-30\",\"to\":\"2026-11-30\",\"hours\":18.5,"
    "\"min_hours\":20,\"evidence\":[\"trainings/t1\",\"trainings/t7\"]},"
    "\"evaluation\":{\"latest\":\"evaluations/e3\",\"date\":\"2026-06-01\","
    "\"result\":\"meets\",\"next_due\":\"2027-06-01\",\"state\":"
    "\"current\"},"
    "\"declarations\":[{\"id\":\"d2\",\"party\":\"Finance\",\"kind\":"
    "\"consultancy\",\"from\":\"2024-01-01\",\"until\":\"2025-06-30\"}],"
    "\"assignments\":[{\"id\":\"as1\",\"audit\":\"A1\",\"role\":"
    "\"lead\",\"status\":\"confirmed\",\"start\":\"2026-11-30\",\"end\":"
    "\"2026-12-02\",\"current\":true},{\"id\":\"as2\",\"audit\":"
    "\"A22\",\"role\":\"technical_expert\",\"status\":\"proposed\","
    "\"start\":\"2027-02-01\",\"end\":\"2027-02-01\",\"current\":false}],"
    "\"warnings\":[{\"rule\":\"evaluation\",\"detail\":\"due soon\"}]}";

static json_t *
doc_of(const char *text)
{
	json_error_t	 e;
	json_t		*d = json_loads(text, 0, &e);

	if (d == NULL)
		printf("\n  ** bad test JSON: %s\n", e.text);
	return d;
}

/* status_print of text; *rc its result. Malloc'd. */
static char *
status_of(const char *text, int utf8, int *rc)
{
	json_t	*d = doc_of(text);
	FILE	*f = tmpfile();

	*rc = status_print(f, d, utf8);
	json_decref(d);
	return cu_written(f);
}

static int
same(const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return 1;
	printf("\n  ** got:\n%s\n  ** want:\n%s\n", got, want);
	return 0;
}

static int
has(const char *got, const char *want)
{
	if (strstr(got, want) != NULL)
		return 1;
	printf("\n  ** want \"%s\" in:\n%s\n", want, got);
	return 0;
}

static void
test_status_ascii(void)
{
	char	*s;
	int	 rc;

	setlocale(LC_CTYPE, "C");
	s = status_of(example, 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s,
	    "x alice is not fit to audit on 2026-11-30\n"
	    "\n"
	    "Qualifications\n"
	    "  + auditor certificate  ISO/IEC 27001  valid  "
	    "expires in 820 days (2028-03-01)  q1\n"
	    "\n"
	    "CPD: verified hours from 2025-11-30 to 2026-11-30\n"
	    "  x [##################--] 18.5 / 20 h from 2 trainings\n"
	    "\n"
	    "Evaluation\n"
	    "  + current: meets on 2026-06-01 (evaluations/e3); next due "
	    "2027-06-01, in 183 days\n"
	    "\n"
	    "Declarations of interest\n"
	    "  - Finance  consultancy  2024-01-01 to 2025-06-30  d2\n"
	    "\n"
	    "Assignments, current and upcoming\n"
	    "  - A1   lead              2026-11-30 to 2026-12-02 (now)  "
	    "confirmed  as1\n"
	    "  - A22  technical expert  2027-02-01 to 2027-02-01        "
	    "proposed   as2\n"
	    "\n"
	    "What stands between alice and being fit\n"
	    "  x 18.5 verified CPD hours from 2025-11-30 to 2026-11-30; "
	    "20 needed\n"
	    "\n"
	    "Warnings\n"
	    "  ! due soon\n"));
	free(s);
}

/* UTF-8 symbols, and columns aligned by what a terminal shows. */
static void
test_status_utf8(void)
{
	static const char two[] = "{\"auditor\":\"b\",\"on\":\"2026-11-30\","
	    "\"fit\":true,\"qualifications\":[{\"id\":\"q1\",\"kind\":"
	    "\"education\",\"standard\":\"\xc3\x96NORM\",\"expires\":null,"
	    "\"state\":\"unverified\"},{\"id\":\"q2\",\"kind\":"
	    "\"auditor_certificate\",\"standard\":\"ISO\",\"expires\":"
	    "\"2026-12-01\",\"state\":\"expiring\",\"days_left\":1}],"
	    "\"cpd\":{\"hours\":25,\"min_hours\":20,\"evidence\":"
	    "[\"trainings/t1\"]}}";
	char	*s;
	int	 rc;

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		CU_FAIL("no C.UTF-8 locale");
		return;
	}
	CU_ASSERT_TRUE(output_utf8());
	s = status_of(example, 1, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(has(s, "\xe2\x9c\x97 alice is not fit to audit on "
	    "2026-11-30\n"));
	CU_ASSERT(has(s, "\n  \xe2\x9c\x97 "
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x91\xe2\x96\x91"
	    " 18.5 / 20 h from 2 trainings\n"));
	CU_ASSERT(has(s, "\n  \xe2\x9c\x93 auditor certificate  "));
	CU_ASSERT(has(s, "\n  \xe2\x80\xa2 Finance  consultancy  "));
	free(s);

	/* Ö is two bytes and one column: "ISO" is padded to its width. */
	s = status_of(two, 1, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(has(s, "\xe2\x9c\x93 b is fit to audit on 2026-11-30\n"));
	CU_ASSERT(has(s, "  ? education            \xc3\x96NORM  unverified  "
	    "does not expire                q1\n"));
	CU_ASSERT(has(s, "  ! auditor certificate  ISO    expiring    "
	    "expires in 1 day (2026-12-01)  q2\n"));
	/* Met: a full bar, without a window when the server names none. */
	CU_ASSERT(has(s, "CPD: verified hours\n  \xe2\x9c\x93 "));
	CU_ASSERT(has(s, "\xe2\x96\x88 25 / 20 h from 1 training\n"));
	CU_ASSERT(strstr(s, "\xe2\x96\x91") == NULL);
	free(s);
	setlocale(LC_CTYPE, "C");
}

/*
 * Nulls, empty lists and parts the answer lacks: evaluation none with
 * null fields, expires null without days_left, an open declaration,
 * nothing in the way; no part is made up.
 */
static void
test_status_nulls(void)
{
	static const char none[] = "{\"auditor\":\"carol\",\"on\":"
	    "\"2026-11-30\",\"fit\":false,\"gaps\":[{\"rule\":\"evaluation\","
	    "\"detail\":\"never evaluated\"},{\"rule\":\"qualification\"}],"
	    "\"qualifications\":[],\"cpd\":{\"from\":\"2025-11-30\",\"to\":"
	    "\"2026-11-30\",\"hours\":0,\"min_hours\":20,\"evidence\":[]},"
	    "\"evaluation\":{\"latest\":null,\"date\":null,\"result\":null,"
	    "\"next_due\":null,\"state\":\"none\"},\"declarations\":[],"
	    "\"warnings\":[]}";
	static const char some[] = "{\"auditor\":\"d\",\"on\":\"2026-11-30\","
	    "\"fit\":true,\"gaps\":[],\"qualifications\":[{\"id\":\"q9\","
	    "\"kind\":\"lead_auditor_certificate\",\"standard\":\"ISO/IEC "
	    "27001\",\"issued\":\"2026-01-01\",\"expires\":\"2026-11-27\","
	    "\"state\":\"expired\"},{\"id\":\"q8\",\"kind\":\"other\","
	    "\"issued\":\"2027-01-01\",\"expires\":null,\"state\":"
	    "\"not_yet_valid\"},{\"id\":\"q7\",\"kind\":\"other\","
	    "\"expires\":\"2026-11-30\",\"state\":\"expiring\"}],"
	    "\"evaluation\":{\"latest\":\"evaluations/e1\","
	    "\"date\":\"2025-06-01\",\"result\":\"partially_meets\","
	    "\"next_due\":\"2026-11-01\",\"state\":\"overdue\"},"
	    "\"declarations\":[{\"id\":\"d1\",\"party\":\"Supplier\",\"kind\":"
	    "\"family\",\"from\":\"2020-01-01\",\"until\":null}]}";
	char	*s;
	int	 rc;

	setlocale(LC_CTYPE, "C");
	s = status_of(none, 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(same(s,
	    "x carol is not fit to audit on 2026-11-30\n"
	    "\n"
	    "Qualifications\n"
	    "  none\n"
	    "\n"
	    "CPD: verified hours from 2025-11-30 to 2026-11-30\n"
	    "  x [--------------------] 0 / 20 h from 0 trainings\n"
	    "\n"
	    "Evaluation\n"
	    "  x none on record\n"
	    "\n"
	    "Declarations of interest\n"
	    "  none\n"
	    "\n"
	    "What stands between carol and being fit\n"
	    "  x never evaluated\n"
	    "  x qualification\n"));
	free(s);

	s = status_of(some, 0, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	/* days_left absent: counted from "on"; expired, not yet valid. */
	CU_ASSERT(has(s, "  x lead auditor certificate  ISO/IEC 27001  "
	    "expired        expired 3 days ago (2026-11-27)  q9\n"));
	CU_ASSERT(has(s, "  x other                                    "
	    "not yet valid  valid from 2027-01-01            q8\n"));
	CU_ASSERT(has(s, "  ! other                                    "
	    "expiring       expires today (2026-11-30)       q7\n"));
	CU_ASSERT(has(s, "  x overdue: partially meets on 2025-06-01 "
	    "(evaluations/e1); next was due 2026-11-01, 29 days ago\n"));
	CU_ASSERT(has(s, "  - Supplier  family  since 2020-01-01  d1\n"));
	/* No CPD part in the answer: none drawn; no gaps, no warnings. */
	CU_ASSERT(strstr(s, "CPD") == NULL);
	CU_ASSERT(strstr(s, "What stands") == NULL);
	CU_ASSERT(strstr(s, "Warnings") == NULL);
	free(s);
}

/* The bar is full only when the minimum is met. */
static void
test_status_bar(void)
{
	static const struct {
		const char	*cpd;
		const char	*want;
	} cases[] = {
		{ "\"hours\":19.99,\"min_hours\":20",
		    "x [###################-] 19.99 / 20 h\n" },
		{ "\"hours\":20,\"min_hours\":20",
		    "+ [####################] 20 / 20 h\n" },
		{ "\"hours\":7.25,\"min_hours\":0",
		    "+ [####################] 7.25 / 0 h\n" },
		{ "\"hours\":10,\"min_hours\":20",
		    "x [##########----------] 10 / 20 h\n" },
		{ "\"hours\":-1,\"min_hours\":20",
		    "x [--------------------] 0 / 20 h\n" },
	};
	char	 text[256], *s;
	size_t	 i;
	int	 rc;

	setlocale(LC_CTYPE, "C");
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(text, sizeof text, "{\"auditor\":\"a\",\"fit\":true,"
		    "\"cpd\":{%s}}", cases[i].cpd);
		s = status_of(text, 0, &rc);
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT(has(s, cases[i].want));
		CU_ASSERT(has(s, "+ a is fit to audit\n"));
		free(s);
	}
}

/* Not a status: nothing written; the server's text is made safe. */
static void
test_status_bad(void)
{
	static const char *const bad[] = { "[]", "{\"fit\":true}",
	    "{\"auditor\":\"a\"}", "{\"auditor\":\"a\",\"fit\":\"no\"}",
	    "{\"auditor\":1,\"fit\":true}" };
	char	*s;
	size_t	 i;
	int	 rc;
	FILE	*f;
	json_t	*d;

	setlocale(LC_CTYPE, "C");
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		s = status_of(bad[i], 0, &rc);
		CU_ASSERT_EQUAL(rc, STATUS_MALFORMED);
		CU_ASSERT_STRING_EQUAL(s, "");
		free(s);
	}
	s = status_of("{\"auditor\":\"a\\u001b[2J\",\"fit\":false,\"gaps\":"
	    "[{\"detail\":\"x\\r\\ny\"}],\"declarations\":[{\"party\":"
	    "\"P\\u0007\",\"kind\":\"other\",\"from\":\"2020-01-01\"}]}", 0,
	    &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(strchr(s, '\033') == NULL && strchr(s, '\a') == NULL &&
	    strchr(s, '\r') == NULL);
	CU_ASSERT(has(s, "x a\\x1b[2J is not fit to audit\n"));
	CU_ASSERT(has(s, "  x x\\x0d\\x0ay\n"));
	CU_ASSERT(has(s, "  - P\\x07  other  since 2020-01-01\n"));
	free(s);

	/* Output that cannot be written is an error, never success. */
	f = fopen("/dev/null", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	d = doc_of(example);
	CU_ASSERT_EQUAL(status_print(f, d, 0), -1);
	json_decref(d);
	fclose(f);
}

/* auditor status and me: a table draws, --json prints the document. */
static void
test_status_show(void)
{
	struct cmd_ctx	 ctx;
	json_t		*d, *me;
	char		*s;

	setlocale(LC_CTYPE, "C");
	memset(&ctx, 0, sizeof ctx);
	ctx.server = "https://test";
	d = doc_of(example);
	ctx.out = &output_table;
	ctx.fp = tmpfile();
	CU_ASSERT_EQUAL(status_show(&ctx, d), CMD_OK);
	s = cu_written(ctx.fp);
	CU_ASSERT(has(s, "x alice is not fit to audit on 2026-11-30\n"));
	free(s);
	ctx.out = &output_json;
	ctx.fp = tmpfile();
	CU_ASSERT_EQUAL(status_show(&ctx, d), CMD_OK);
	s = cu_written(ctx.fp);
	CU_ASSERT(has(s, "\"days_left\": 820"));
	free(s);

	/* /v1/me for role auditor: the records, then the status. */
	me = json_pack("{s:{s:s,s:s},s:{s:s,s:s},s:O}", "auditor", "id",
	    "alice", "name", "Alice", "principal", "id", "p-alice", "role",
	    "auditor", "status", d);
	ctx.out = &output_table;
	ctx.fp = tmpfile();
	CU_ASSERT_EQUAL(status_show_me(&ctx, me), CMD_OK);
	s = cu_written(ctx.fp);
	CU_ASSERT(strncmp(s, "auditor.id\talice\nauditor.name\tAlice\n"
	    "principal.id\tp-alice\nprincipal.role\tauditor\n\n"
	    "x alice is not fit", 96) == 0);
	CU_ASSERT(strstr(s, "status.") == NULL);
	free(s);
	ctx.out = &output_json;
	ctx.fp = tmpfile();
	CU_ASSERT_EQUAL(status_show_me(&ctx, me), CMD_OK);
	s = cu_written(ctx.fp);
	CU_ASSERT(has(s, "\"status\": {"));
	free(s);
	/* Without a status (other roles), me is the records alone. */
	json_object_del(me, "status");
	ctx.out = &output_table;
	ctx.fp = tmpfile();
	CU_ASSERT_EQUAL(status_show_me(&ctx, me), CMD_OK);
	s = cu_written(ctx.fp);
	CU_ASSERT(same(s, "auditor.id\talice\nauditor.name\tAlice\n"
	    "principal.id\tp-alice\nprincipal.role\tauditor\n"));
	free(s);
	json_decref(me);

	/* A malformed status is the server's fault: exit 5. */
	json_object_del(d, "fit");
	ctx.fp = tmpfile();
	CU_ASSERT_EQUAL(status_show(&ctx, d), CMD_SERVER);
	s = cu_written(ctx.fp);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	json_decref(d);
}

static const struct cu_test tests[] = {
	{ "status: the example in ASCII", test_status_ascii },
	{ "status: UTF-8 symbols, aligned by width", test_status_utf8 },
	{ "status: nulls, empty lists, missing parts", test_status_nulls },
	{ "status: the CPD bar", test_status_bar },
	{ "status: not a status, unsafe text, unwritable output",
	    test_status_bad },
	{ "status: auditor status and me", test_status_show },
	{ NULL, NULL }
};

int
main(void)
{
	return cu_run("cli-status", tests);
}
