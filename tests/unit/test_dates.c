/*
 * test_dates.c: date arithmetic (common/util.c) that the competence rules
 * and reports judge windows with: day numbers, calendar months with
 * month-end clamping.
 */
#include <string.h>

#include "cu.h"

#include "util.h"

static void
test_days(void)
{
	static const struct {
		const char	*date;
		long		 days;
	} t[] = {
		{ "1970-01-01", 0 },
		{ "1970-01-02", 1 },
		{ "1969-12-31", -1 },
		{ "2000-02-29", 11016 },
		{ "2000-03-01", 11017 },
		{ "2026-11-30", 20787 },
		{ "2028-02-29", 21243 },
		{ "9999-12-31", 2932896 },
		{ "0001-01-01", -719162 },
	};
	char	out[UTIL_DATE_LEN];
	size_t	i;
	int	ok;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		CU_ASSERT_EQUAL(util_date_days(t[i].date, &ok), t[i].days);
		CU_ASSERT_EQUAL(ok, 1);
		util_date_str(t[i].days, out);
		CU_ASSERT_STRING_EQUAL(out, t[i].date);
	}
	/* Every day of four years, there and back. */
	for (i = 0; i < 4 * 366; i++) {
		util_date_str(20000 + (long)i, out);
		CU_ASSERT_EQUAL(util_date_days(out, &ok), 20000 + (long)i);
		CU_ASSERT_EQUAL(ok, 1);
	}
	CU_ASSERT_EQUAL(util_date_days("2027-02-29", &ok), 0);
	CU_ASSERT_EQUAL(ok, 0);
	CU_ASSERT_EQUAL(util_date_days("2027-1-01", &ok), 0);
	CU_ASSERT_EQUAL(ok, 0);
	CU_ASSERT_EQUAL(util_date_days(NULL, &ok), 0);
	CU_ASSERT_EQUAL(ok, 0);
}

static void
test_months(void)
{
	static const struct {
		const char	*from;
		int		 months;
		const char	*to;
	} t[] = {
		{ "2026-11-30", -12, "2025-11-30" },
		{ "2027-03-31", -1, "2027-02-28" },
		{ "2028-03-31", -1, "2028-02-29" },
		{ "2024-02-29", 12, "2025-02-28" },
		{ "2026-01-31", 1, "2026-02-28" },
		{ "2026-01-15", -1, "2025-12-15" },
		{ "2026-12-31", 2, "2027-02-28" },
		{ "2026-05-31", -24, "2024-05-31" },
		{ "2026-08-31", 1, "2026-09-30" },
		{ "2026-06-10", 0, "2026-06-10" },
	};
	char	out[UTIL_DATE_LEN];
	size_t	i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		util_date_add_months(t[i].from, t[i].months, out);
		CU_ASSERT_STRING_EQUAL(out, t[i].to);
	}
}

static void
test_today(void)
{
	char	out[UTIL_DATE_LEN];
	int	ok;

	util_today(out);
	CU_ASSERT(util_date_days(out, &ok) > 20000);
	CU_ASSERT_EQUAL(ok, 1);
}

int
main(void)
{
	static const struct cu_test tests[] = {
		{ "day numbers", test_days },
		{ "calendar months, clamped", test_months },
		{ "today", test_today },
		{ NULL, NULL }
	};

	return cu_run("dates", tests);
}
