/*
 * window.h: the date arithmetic every competence rule and report shares, in
 * one place: a window of days [start, end] (both included), the window of
 * calendar months that ends on a day, what lies in a window, what covers
 * one, and the day a dated record ages out of such a window. A member rule
 * judged on one day judges the window [on, on]; a team check over an audit
 * from start to end passes that window to the same functions.
 *
 * Dates are YYYY-MM-DD strings, compared as strings (which orders them);
 * every function takes valid dates only (util_date_valid).
 */
#ifndef WINDOW_H
#define WINDOW_H

#include "util.h"

/*
 * The dates a request may judge on: years 1000 to 8999, so that every
 * window back (at most CHECK_WINDOW_MAX_MONTHS) and every horizon forward
 * (at most CHECK_HORIZON_MAX_DAYS) stays within four-digit years.
 */
#define CHECK_DATE_MIN		"1000-01-01"
#define CHECK_DATE_MAX		"8999-12-31"
#define CHECK_WINDOW_MAX_MONTHS	120	/* a report's period: 10 years */
#define CHECK_HORIZON_MAX_DAYS	3650	/* a report's ?within= */

struct check_window {
	char	start[UTIL_DATE_LEN];
	char	end[UTIL_DATE_LEN];
};

/* 1 if s is a valid date within [CHECK_DATE_MIN, CHECK_DATE_MAX]. */
int	check_date_ok(const char *s);

/* w = [on, on]: one day. */
void	check_window_day(struct check_window *w, const char *on);

/*
 * w = [on - months, on], both included, months counted on the calendar
 * and the day clamped to the month's last day (util_date_add_months): on
 * 2027-03-31, 12 months back starts on 2026-03-31; on 2025-02-28, on
 * 2024-02-28; on 2024-02-29, on 2023-02-28.
 */
void	check_window_back(struct check_window *w, const char *on, int months);

/* 1 if start <= date <= end. */
int	check_window_has(const struct check_window *, const char *date);

/*
 * 1 if something valid from from until until (both included; until ""
 * or NULL: open-ended) is valid on every day of w.
 */
int	check_window_covered(const struct check_window *, const char *from,
	    const char *until);

/* The days w holds, both ends counted (1 for [on, on]). */
long	check_window_days(const struct check_window *);

/*
 * The last day on which date still lies in the window of months that ends
 * that day (check_window_back): the day before a record dated date grows
 * older than months. Into out.
 */
void	check_window_last_day(const char *date, int months,
	    char out[UTIL_DATE_LEN]);

/* days after date (negative: before), into out. */
void	check_date_add_days(const char *date, long days,
	    char out[UTIL_DATE_LEN]);

/* b - a in days. */
long	check_date_diff(const char *a, const char *b);

#endif
