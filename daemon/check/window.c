/*
 * window.c: the date arithmetic of the rules and reports (see window.h).
 */
#include <string.h>

#include "check/window.h"

int
check_date_ok(const char *s)
{
	return s != NULL && util_date_valid(s) &&
	    strcmp(s, CHECK_DATE_MIN) >= 0 && strcmp(s, CHECK_DATE_MAX) <= 0;
}

void
check_window_day(struct check_window *w, const char *on)
{
	memcpy(w->start, on, UTIL_DATE_LEN);
	memcpy(w->end, on, UTIL_DATE_LEN);
}

void
check_window_back(struct check_window *w, const char *on, int months)
{
	util_date_add_months(on, -months, w->start);
	memcpy(w->end, on, UTIL_DATE_LEN);
}

int
check_window_has(const struct check_window *w, const char *date)
{
	return strcmp(w->start, date) <= 0 && strcmp(date, w->end) <= 0;
}

int
check_window_covered(const struct check_window *w, const char *from,
    const char *until)
{
	if (strcmp(from, w->start) > 0)
		return 0;
	return until == NULL || until[0] == '\0' || strcmp(until, w->end) >= 0;
}

long
check_window_days(const struct check_window *w)
{
	return util_date_days(w->end, NULL) - util_date_days(w->start, NULL) +
	    1;
}

void
check_window_last_day(const char *date, int months, char out[UTIL_DATE_LEN])
{
	char	next[UTIL_DATE_LEN], back[UTIL_DATE_LEN];

	/*
	 * date + months is in the window ending that day; so may be the few
	 * days after it whose window start clamps back onto date (the window
	 * ending 2024-02-29 starts on 2023-02-28, as does the one ending
	 * 2024-02-28). Step on while the next day's window still holds date.
	 */
	util_date_add_months(date, months, out);
	for (;;) {
		check_date_add_days(out, 1, next);
		util_date_add_months(next, -months, back);
		if (strcmp(back, date) > 0)
			return;
		memcpy(out, next, UTIL_DATE_LEN);
	}
}

void
check_date_add_days(const char *date, long days, char out[UTIL_DATE_LEN])
{
	util_date_str(util_date_days(date, NULL) + days, out);
}

long
check_date_diff(const char *a, const char *b)
{
	return util_date_days(b, NULL) - util_date_days(a, NULL);
}
