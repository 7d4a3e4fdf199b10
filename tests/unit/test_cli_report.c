/*
 * test_cli_report.c: the reports as auditorctl writes them (cli/report.c),
 * fed as JSON documents of the shapes the daemon answers: tables (plain
 * lines off a terminal, with or without the headline and legend), CSV
 * with the cells a spreadsheet would run neutralised, JSON as it is, and
 * answers that are no report.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu.h"
#include "cu-io.h"

#include "csv.h"
#include "output.h"
#include "report.h"

static const char cpd[] = "{\"from\":\"2025-11-30\",\"to\":\"2026-11-30\","
    "\"min_hours\":20,\"items\":["
    "{\"auditor\":\"alice\",\"name\":\"Alice Example\",\"hours\":18.5,"
    "\"min_hours\":20,\"shortfall\":1.5,\"evidence\":[\"trainings/t1\","
    "\"trainings/t7\"]},"
    "{\"auditor\":\"bob\",\"name\":\"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\","
    "\"hours\":25,\"min_hours\":20,\"shortfall\":0,\"evidence\":[]}]}";

static const char expiring[] = "{\"on\":\"2026-11-30\",\"within\":90,"
    "\"items\":["
    "{\"qualification\":\"q2\",\"auditor\":\"alice\",\"kind\":"
    "\"lead_auditor_certificate\",\"standard\":\"ISO/IEC 27001\","
    "\"expires\":\"2026-11-27\",\"days\":-3,\"state\":\"expired\"},"
    "{\"qualification\":\"q5\",\"auditor\":\"bob\",\"kind\":"
    "\"auditor_certificate\",\"standard\":\"+ISO 9001\",\"expires\":"
    "\"2027-01-10\",\"days\":41,\"state\":\"expiring\"},"
    "{\"qualification\":\"q6\",\"auditor\":\"@carol\",\"kind\":\"other\","
    "\"expires\":\"2026-11-30\",\"days\":0,\"state\":\"expiring\"}]}";

static const char due[] = "{\"on\":\"2026-11-30\",\"within\":30,\"items\":["
    "{\"auditor\":\"carol\",\"name\":\"-Carol\",\"state\":\"none\","
    "\"latest\":null,\"next_due\":null,\"days\":null},"
    "{\"auditor\":\"alice\",\"name\":\"Alice\",\"state\":\"overdue\","
    "\"latest\":\"evaluations/e3\",\"next_due\":\"2026-11-01\","
    "\"days\":-29},"
    "{\"auditor\":\"bob\",\"name\":\"\\tBob\",\"state\":\"due\",\"latest\":"
    "\"evaluations/e9\",\"next_due\":\"2026-12-01\",\"days\":1}]}";

static const char matrix[] = "{\"on\":\"2026-11-30\",\"areas\":["
    "\"isms-standards\",\"legislation\",\"-risk\"],\"items\":["
    "{\"auditor\":\"alice\",\"name\":\"Alice\",\"cells\":{"
    "\"isms-standards\":{\"level\":\"expert\",\"evidence\":"
    "\"evaluations/e3\"},\"legislation\":{\"level\":\"competent\","
    "\"evidence\":\"evaluations/e3\"}}},"
    "{\"auditor\":\"bob\",\"name\":\"Bob\",\"cells\":{\"-risk\":{\"level\":"
    "\"awareness\",\"evidence\":\"evaluations/e9\"},\"legislation\":"
    "{\"level\":\"guru\"}}},"
    "{\"auditor\":\"carol\",\"name\":\"Carol\",\"cells\":{}}]}";

/* report_print of text; *rc its result. Malloc'd. */
static char *
report_of(const char *text, enum report_kind kind, const struct output *out,
    int utf8, int decorate, int *rc)
{
	json_error_t	 e;
	json_t		*d = json_loads(text, 0, &e);
	FILE		*f = tmpfile();

	if (d == NULL)
		printf("\n  ** bad test JSON: %s\n", e.text);
	*rc = report_print(f, kind, out, d, utf8, decorate);
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

#define EXPECT(text, kind, out, utf8, decorate, want) do {		\
	char	*s_;							\
	int	 rc_;							\
	s_ = report_of((text), (kind), (out), (utf8), (decorate), &rc_);\
	CU_ASSERT_EQUAL(rc_, 0);					\
	CU_ASSERT(same(s_, (want)));					\
	free(s_);							\
} while (0)

/* A cell that starts as a formula would gets a '; numbers stay numbers. */
static void
test_csv_safe(void)
{
	static const struct {
		const char	*in, *out;
	} cases[] = {
		{ "=1+2", "'=1+2" }, { "+1+2", "'+1+2" }, { "-1+2", "'-1+2" },
		{ "@SUM(A1)", "'@SUM(A1)" }, { "\tx", "'\tx" }, { "\rx", "'\rx" },
		{ "-3", "-3" }, { "+1.5", "+1.5" }, { "-2.5e3", "-2.5e3" },
		{ "-", "'-" }, { "+", "'+" }, { "-nan", "'-nan" },
		{ "-inf", "'-inf" }, { "--1", "'--1" }, { "Alice", "Alice" },
		{ "a=b", "a=b" }, { "", "" }, { "'quoted", "'quoted" },
		/* a value that really starts with a quote: one more */
		{ "'=x", "''=x" }, { "''-1", "'''-1" }, { "'-5", "''-5" },
		{ "'", "'" },
	};
	char	*s;
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		s = output_csv_safe(cases[i].in);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		if (strcmp(s, cases[i].out) != 0)
			printf("\n  ** '%s' made '%s', want '%s'\n",
			    cases[i].in, s, cases[i].out);
		CU_ASSERT_STRING_EQUAL(s, cases[i].out);
		/* What import does with the cell gives the value back. */
		csv_restore(s);
		CU_ASSERT_STRING_EQUAL(s, cases[i].in);
		free(s);
	}
}

static void
test_cpd(void)
{
	setlocale(LC_CTYPE, "C");
	EXPECT(cpd, REPORT_CPD, &output_table, 0, 0,
	    "alice\tAlice Example\t18.5\t20\t1.5\t2\n"
	    "bob\t=HYPERLINK(\"http://x\",\"y\")\t25\t20\t0\t0\n");
	EXPECT(cpd, REPORT_CPD, &output_table, 0, 1,
	    "Verified CPD hours from 2025-11-30 to 2026-11-30; 20 h needed.\n"
	    "alice\tAlice Example\t18.5\t20\t1.5\t2\n"
	    "bob\t=HYPERLINK(\"http://x\",\"y\")\t25\t20\t0\t0\n");
	/* CSV: the values, the evidence itself; the formula neutralised. */
	EXPECT(cpd, REPORT_CPD, &output_csv, 0, 1,
	    "auditor,name,hours,min_hours,shortfall,evidence\r\n"
	    "alice,Alice Example,18.5,20,1.5,\"trainings/t1,trainings/t7\"\r\n"
	    "bob,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",25,20,0,\r\n");
}

static void
test_expiring(void)
{
	setlocale(LC_CTYPE, "C");
	EXPECT(expiring, REPORT_EXPIRING, &output_table, 0, 1,
	    "Qualifications expired or expiring within 90 days of "
	    "2026-11-30.\n"
	    "alice\tq2\tlead_auditor_certificate\tISO/IEC 27001\t2026-11-27\t"
	    "3 days ago\texpired\n"
	    "bob\tq5\tauditor_certificate\t+ISO 9001\t2027-01-10\tin 41 days\t"
	    "expiring\n"
	    "@carol\tq6\tother\t\t2026-11-30\ttoday\texpiring\n");
	/* Days stay numbers (-3 is not neutralised); text is. */
	EXPECT(expiring, REPORT_EXPIRING, &output_csv, 0, 0,
	    "qualification,auditor,kind,standard,expires,days,state\r\n"
	    "q2,alice,lead_auditor_certificate,ISO/IEC 27001,2026-11-27,-3,"
	    "expired\r\n"
	    "q5,bob,auditor_certificate,'+ISO 9001,2027-01-10,41,expiring\r\n"
	    "q6,'@carol,other,,2026-11-30,0,expiring\r\n");
}

static void
test_due(void)
{
	setlocale(LC_CTYPE, "C");
	EXPECT(due, REPORT_EVALUATIONS_DUE, &output_table, 0, 1,
	    "Evaluations missing, overdue or due within 30 days of "
	    "2026-11-30.\n"
	    "carol\t-Carol\tnone\t\t\t\n"
	    "alice\tAlice\toverdue\tevaluations/e3\t2026-11-01\t29 days ago\n"
	    "bob\t\\tBob\tdue\tevaluations/e9\t2026-12-01\tin 1 day\n");
	/* Nulls are empty cells; a leading tab or '-' is neutralised. */
	EXPECT(due, REPORT_EVALUATIONS_DUE, &output_csv, 0, 0,
	    "auditor,name,state,latest,next_due,days\r\n"
	    "carol,'-Carol,none,,,\r\n"
	    "alice,Alice,overdue,evaluations/e3,2026-11-01,-29\r\n"
	    "bob,'\tBob,due,evaluations/e9,2026-12-01,1\r\n");
}

static void
test_matrix(void)
{
	setlocale(LC_CTYPE, "C");
	/* Marks, a legend under the grid; an unknown level is '?'. */
	EXPECT(matrix, REPORT_MATRIX, &output_table, 0, 1,
	    "Competence levels found by evaluation, on 2026-11-30.\n"
	    "alice\tAlice\tE\tC\t.\n"
	    "bob\tBob\t.\t?\tA\n"
	    "carol\tCarol\t.\t.\t.\n"
	    "A awareness  C competent  E expert  . not assessed\n");
	EXPECT(matrix, REPORT_MATRIX, &output_table, 1, 0,
	    "alice\tAlice\t\xe2\x97\x8f\t\xe2\x97\x90\t\xc2\xb7\n"
	    "bob\tBob\t\xc2\xb7\t?\t\xe2\x97\x8b\n"
	    "carol\tCarol\t\xc2\xb7\t\xc2\xb7\t\xc2\xb7\n");
	/* CSV: the level names, areas as headings (neutralised too). */
	EXPECT(matrix, REPORT_MATRIX, &output_csv, 1, 1,
	    "auditor,name,isms-standards,legislation,'-risk\r\n"
	    "alice,Alice,expert,competent,\r\n"
	    "bob,Bob,,guru,awareness\r\n"
	    "carol,Carol,,,\r\n");
}

/* JSON as the server said; empty lists; answers that are no report. */
static void
test_json_empty_bad(void)
{
	static const char *const bad[] = { "[]", "{}", "{\"items\":{}}",
	    "{\"items\":null}" };
	char	*s;
	size_t	 i;
	int	 rc;

	setlocale(LC_CTYPE, "C");
	s = report_of(due, REPORT_EVALUATIONS_DUE, &output_json, 0, 1, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(strstr(s, "\"within\": 30") != NULL);
	CU_ASSERT(strstr(s, "\"days\": null") != NULL);
	CU_ASSERT(strstr(s, "\"name\": \"-Carol\"") != NULL);
	free(s);

	EXPECT("{\"on\":\"2026-11-30\",\"within\":7,\"items\":[]}",
	    REPORT_EXPIRING, &output_table, 0, 1, "Qualifications expired or "
	    "expiring within 7 days of 2026-11-30.\nNone.\n");
	EXPECT("{\"items\":[]}", REPORT_EXPIRING, &output_table, 0, 0, "");
	EXPECT("{\"items\":[]}", REPORT_CPD, &output_csv, 0, 1,
	    "auditor,name,hours,min_hours,shortfall,evidence\r\n");
	EXPECT("{\"areas\":[],\"items\":[]}", REPORT_MATRIX, &output_csv, 0, 1,
	    "auditor,name\r\n");

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		s = report_of(bad[i], REPORT_CPD, &output_table, 0, 1, &rc);
		CU_ASSERT_EQUAL(rc, REPORT_MALFORMED);
		CU_ASSERT_STRING_EQUAL(s, "");
		free(s);
	}
	s = report_of("{\"items\":[]}", REPORT_MATRIX, &output_csv, 0, 1,
	    &rc);
	CU_ASSERT_EQUAL(rc, REPORT_MALFORMED);
	free(s);
	/* The server's text in our own lines is made safe. */
	s = report_of("{\"on\":\"x\\u001b[2J\",\"areas\":[],\"items\":[]}",
	    REPORT_MATRIX, &output_table, 0, 1, &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(strchr(s, '\033') == NULL);
	free(s);
}

/* Output that cannot be written is an error, never success. */
static void
test_unwritable(void)
{
	json_t	*d = json_loads(cpd, 0, NULL);
	FILE	*f = fopen("/dev/null", "r");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(report_print(f, REPORT_CPD, &output_csv, d, 0, 0), -1);
	CU_ASSERT_EQUAL(report_print(f, REPORT_CPD, &output_table, d, 0, 1),
	    -1);
	fclose(f);
	json_decref(d);
}

static const struct cu_test tests[] = {
	{ "CSV cells neutralised for spreadsheets", test_csv_safe },
	{ "report cpd: table and CSV", test_cpd },
	{ "report expiring: table and CSV", test_expiring },
	{ "report evaluations-due: nulls, table and CSV", test_due },
	{ "report matrix: marks, legend, CSV levels", test_matrix },
	{ "reports: JSON as is, empty, not a report", test_json_empty_bad },
	{ "reports: unwritable output", test_unwritable },
	{ NULL, NULL }
};

int
main(void)
{
	return cu_run("cli-report", tests);
}
