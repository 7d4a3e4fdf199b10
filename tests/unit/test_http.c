/*
 * test_http.c: the server's request checks that need no connection:
 * If-Match parsing and matching (http_if_match_parse, http_if_match).
 * Framing is the parser's, tested in test_h1.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cu.h"

#include "server/http.h"

#define NO_COND	(-2)	/* rc 0 and no condition (set 0) */

struct ifm_row {
	const char	*value;		/* the header's value; NULL: absent */
	int		 rc;		/* 0, -1, or NO_COND */
	int		 n;		/* strong tags kept (rc 0) */
	int64_t		 revs[REQ_MAXTAGS];
};

static const struct ifm_row ifm_rows[] = {
	/* No condition. */
	{ NULL, NO_COND, 0, { 0 } },
	{ "*", NO_COND, 0, { 0 } },
	{ "  *\t", NO_COND, 0, { 0 } },
	/* One tag: quoted, bare (hand-typed), with white space. */
	{ "\"3\"", 0, 1, { 3 } },
	{ "3", 0, 1, { 3 } },
	{ " \"3\" ", 0, 1, { 3 } },
	{ "\"1\"", 0, 1, { 1 } },
	{ "\"42\"", 0, 1, { 42 } },
	/* Weak tags never match: kept out of the list, the condition stays. */
	{ "W/\"3\"", 0, 0, { 0 } },
	{ "W/\"3\", W/\"4\"", 0, 0, { 0 } },
	{ "W/\"3\", \"4\"", 0, 1, { 4 } },
	/* Lists, with and without spaces and tabs. */
	{ "\"1\",\"2\"", 0, 2, { 1, 2 } },
	{ "\"7\", \"1\"", 0, 2, { 7, 1 } },
	{ " \"1\" ,\t\"2\" ,  \"3\" ", 0, 3, { 1, 2, 3 } },
	{ "1, 2, \"3\"", 0, 3, { 1, 2, 3 } },
	{ "\"5\", W/\"6\", 7", 0, 2, { 5, 7 } },
	/* REQ_MAXTAGS (8) strong tags fit; weak ones do not count. */
	{ "1,2,3,4,5,6,7,8", 0, 8, { 1, 2, 3, 4, 5, 6, 7, 8 } },
	{ "1,2,3,4,5,6,7,8,W/\"9\"", 0, 8, { 1, 2, 3, 4, 5, 6, 7, 8 } },
	/* The largest rev an int64 holds. */
	{ "\"9223372036854775807\"", 0, 1, { INT64_MAX } },

	/* Malformed: a 400. */
	{ "", -1, 0, { 0 } },
	{ " ", -1, 0, { 0 } },
	{ "\"0\"", -1, 0, { 0 } },
	{ "0", -1, 0, { 0 } },
	{ "\"-1\"", -1, 0, { 0 } },
	{ "-1", -1, 0, { 0 } },
	{ "\"+3\"", -1, 0, { 0 } },
	{ "\"\"", -1, 0, { 0 } },
	{ "\"03\"", -1, 0, { 0 } },
	{ "W/3", -1, 0, { 0 } },
	{ "W/\"\"", -1, 0, { 0 } },
	{ "w/\"3\"", -1, 0, { 0 } },
	{ "\"3", -1, 0, { 0 } },
	{ "3\"", -1, 0, { 0 } },
	{ "\"3\"x", -1, 0, { 0 } },
	{ "\"3 \"", -1, 0, { 0 } },
	{ "\"3\" \"4\"", -1, 0, { 0 } },
	{ "\"abc\"", -1, 0, { 0 } },
	{ "abc", -1, 0, { 0 } },
	{ "3abc", -1, 0, { 0 } },
	{ "\"3.0\"", -1, 0, { 0 } },
	{ "**", -1, 0, { 0 } },
	{ "\"1\",", -1, 0, { 0 } },
	{ "\"1\", ", -1, 0, { 0 } },
	{ ",\"1\"", -1, 0, { 0 } },
	{ "\"1\",,\"2\"", -1, 0, { 0 } },
	{ ",", -1, 0, { 0 } },
	{ "\"1\";\"2\"", -1, 0, { 0 } },
	/* "*" stands alone, never in a list. */
	{ "*, \"3\"", -1, 0, { 0 } },
	{ "\"3\", *", -1, 0, { 0 } },
	{ "*, *", -1, 0, { 0 } },
	/* Beyond an int64: never taken as the largest rev. */
	{ "\"9223372036854775808\"", -1, 0, { 0 } },
	{ "99999999999999999999", -1, 0, { 0 } },
	/* More than REQ_MAXTAGS strong tags. */
	{ "1,2,3,4,5,6,7,8,9", -1, 0, { 0 } },
	{ "\"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\", "
	    "\"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\", \"1\"", -1, 0,
	    { 0 } },
};

static void
test_if_match_parse(void)
{
	size_t	i;
	int	j;

	for (i = 0; i < sizeof ifm_rows / sizeof ifm_rows[0]; i++) {
		const struct ifm_row	*row = &ifm_rows[i];
		struct if_match		 m;
		int			 rc, ok;

		/* Garbage first: the parse must set every field it reports. */
		memset(&m, 0x5a, sizeof m);
		rc = http_if_match_parse(row->value, &m);
		if (row->rc == -1)
			ok = rc == -1;
		else if (row->rc == NO_COND)
			ok = rc == 0 && m.set == 0;
		else {
			ok = rc == 0 && m.set == 1 && m.n == row->n;
			for (j = 0; ok && j < row->n; j++)
				ok = m.revs[j] == row->revs[j];
		}
		if (!ok)
			printf("\n  ** If-Match %s%s%s: rc %d set %d n %d, "
			    "expected %s\n", row->value ? "'" : "",
			    row->value ? row->value : "(absent)",
			    row->value ? "'" : "", rc, m.set, m.n,
			    row->rc == -1 ? "-1 (malformed)" :
			    row->rc == NO_COND ? "0 and no condition" :
			    "0 and the listed revs");
		CU_ASSERT(ok);
	}
}

struct match_row {
	const char	*value;
	int64_t		 rev;
	int		 match;
};

static const struct match_row match_rows[] = {
	{ NULL, 1, 1 },
	{ NULL, 99, 1 },
	{ "*", 1, 1 },
	{ "*", 12345, 1 },
	{ "\"3\"", 3, 1 },
	{ "\"3\"", 2, 0 },
	{ "\"3\"", 4, 0 },
	{ "\"3\"", 33, 0 },
	{ "3", 3, 1 },
	{ "3", 4, 0 },
	/* Strong comparison: a weak tag never matches, even its own rev. */
	{ "W/\"3\"", 3, 0 },
	{ "W/\"3\"", 1, 0 },
	{ "W/\"3\", \"4\"", 3, 0 },
	{ "W/\"3\", \"4\"", 4, 1 },
	{ "\"7\", \"1\"", 1, 1 },
	{ "\"7\", \"1\"", 7, 1 },
	{ "\"7\", \"1\"", 2, 0 },
	{ "1,2,3,4,5,6,7,8", 8, 1 },
	{ "1,2,3,4,5,6,7,8", 9, 0 },
	{ "\"9223372036854775807\"", INT64_MAX, 1 },
	{ "\"9223372036854775807\"", 1, 0 },
};

static void
test_if_match(void)
{
	struct if_match	m;
	size_t		i;

	for (i = 0; i < sizeof match_rows / sizeof match_rows[0]; i++) {
		const struct match_row	*row = &match_rows[i];
		int			 got;

		CU_ASSERT_EQUAL_FATAL(http_if_match_parse(row->value, &m), 0);
		got = http_if_match(&m, row->rev);
		if (got != row->match)
			printf("\n  ** If-Match %s against rev %lld: %d, "
			    "expected %d\n", row->value ? row->value :
			    "(absent)", (long long)row->rev, got, row->match);
		CU_ASSERT_EQUAL(got, row->match);
	}

	/* A condition set by hand, as the dispatcher leaves it. */
	memset(&m, 0, sizeof m);
	CU_ASSERT_EQUAL(http_if_match(&m, 5), 1);
	m.set = 1;
	CU_ASSERT_EQUAL(http_if_match(&m, 5), 0);	/* only weak tags */
	m.n = 1;
	m.revs[0] = 5;
	CU_ASSERT_EQUAL(http_if_match(&m, 5), 1);
	CU_ASSERT_EQUAL(http_if_match(&m, 6), 0);
	/* Only the first n count, whatever lies beyond. */
	m.revs[1] = 6;
	CU_ASSERT_EQUAL(http_if_match(&m, 6), 0);
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "If-Match parsing", test_if_match_parse },
		{ "If-Match against a rev", test_if_match },
		{ NULL, NULL }
	};

	return cu_run("http", tests);
}
