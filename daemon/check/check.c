/*
 * check.c: what the competence rules share: their ids and their evidence
 * lists. See check.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"

static const char *const rule_names[CHECK_NRULES] = {
	[CHECK_ACTIVE] = "active",
	[CHECK_QUALIFICATION] = "qualification",
	[CHECK_LEAD_QUALIFICATION] = "lead_qualification",
	[CHECK_LEAD_EXPERIENCE] = "lead_experience",
	[CHECK_CPD] = "cpd",
	[CHECK_EVALUATION] = "evaluation",
	[CHECK_INDEPENDENCE] = "independence",
	[CHECK_OWN_UNIT] = "own_unit",
	[CHECK_ROTATION] = "rotation",
	[CHECK_AVAILABILITY] = "availability",
	[CHECK_SUPERVISION] = "supervision",
	[CHECK_LEAD_COUNT] = "lead_count",
	[CHECK_TEAM_SIZE] = "team_size",
	[CHECK_COVERAGE] = "coverage",
	[CHECK_LANGUAGE] = "language",
	[CHECK_EXPIRY] = "expiry",
};

const char *
check_rule_name(enum check_rule r)
{
	if ((unsigned)r >= CHECK_NRULES)
		return "unknown";
	return rule_names[r];
}

enum check_rule
check_rule_parse(const char *name)
{
	int	i;

	for (i = 0; i < CHECK_NRULES; i++)
		if (strcmp(rule_names[i], name) == 0)
			return (enum check_rule)i;
	return CHECK_NRULES;
}

/*
 * "coll/id", cut as snprintf would cut it. Not snprintf itself: a team
 * check names some 200 records, and the format machinery was most of the
 * cost of naming them.
 */
void
check_evidence_add(struct check_result *r, const char *coll, const char *id)
{
	char	*e;
	size_t	 max = sizeof r->evidence[0] - 1, n, k;

	if (r->nevidence < CHECK_EVIDENCE_MAX) {
		e = r->evidence[r->nevidence];
		n = strnlen(coll, max);
		memcpy(e, coll, n);
		if (n < max)
			e[n++] = '/';
		k = strnlen(id, max - n);
		memcpy(e + n, id, k);
		e[n + k] = '\0';
	}
	r->nevidence++;
}

void
check_result_init(struct check_result *r, enum check_rule rule)
{
	/* Not the whole struct: the evidence array is most of it. */
	r->rule = rule;
	r->ok = 0;
	r->warn = 0;
	r->detail[0] = '\0';
	r->nevidence = 0;
}

/*
 * vsnprintf for the few conversions the rules' sentences use (%s, %d,
 * %ld, %zu, %%): a team check writes some 150 of them, and glibc's
 * general printf machinery was a quarter of its time. A format with any
 * other conversion goes to vsnprintf whole, so nothing is ever misread.
 */
static int
fast_ok(const char *fmt)
{
	for (; (fmt = strchr(fmt, '%')) != NULL; fmt++) {
		fmt++;
		if (*fmt == 's' || *fmt == 'd' || *fmt == '%')
			continue;
		if ((fmt[0] == 'l' && fmt[1] == 'd') ||
		    (fmt[0] == 'z' && fmt[1] == 'u')) {
			fmt++;
			continue;
		}
		return 0;
	}
	return 1;
}

static void
put(char *buf, size_t len, size_t *n, const char *s, size_t k)
{
	if (*n + 1 < len) {
		if (k > len - 1 - *n)
			k = len - 1 - *n;
		memcpy(buf + *n, s, k);
		*n += k;
	}
}

/* Decimal digits of v (negative too) into out; their count. */
static size_t
digits(long long v, char out[24])
{
	char			 t[24];
	unsigned long long	 u = v < 0 ? 0ULL - (unsigned long long)v :
				    (unsigned long long)v;
	size_t			 n = 0, i = 0;

	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		out[i++] = '-';
	while (n > 0)
		out[i++] = t[--n];
	return i;
}

void
check_vformat(char *buf, size_t len, const char *fmt, va_list ap)
{
	const char	*p, *s;
	char		 num[24];
	size_t		 n = 0;

	if (len == 0)
		return;
	if (!fast_ok(fmt)) {
		vsnprintf(buf, len, fmt, ap);
		return;
	}
	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			s = strchr(p, '%');
			if (s == NULL)
				s = p + strlen(p);
			put(buf, len, &n, p, (size_t)(s - p));
			p = s - 1;
			continue;
		}
		switch (*++p) {
		case 's':
			s = va_arg(ap, const char *);
			if (s == NULL)
				s = "(null)";
			put(buf, len, &n, s, strlen(s));
			break;
		case 'd':
			put(buf, len, &n, num, digits(va_arg(ap, int), num));
			break;
		case 'l':
			p++;
			put(buf, len, &n, num, digits(va_arg(ap, long), num));
			break;
		case 'z':
			p++;
			put(buf, len, &n, num, digits((long long)va_arg(ap,
			    size_t), num));
			break;
		default:
			put(buf, len, &n, "%", 1);
			break;
		}
	}
	buf[n] = '\0';
}

void
check_format(char *buf, size_t len, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	check_vformat(buf, len, fmt, ap);
	va_end(ap);
}

void
check_detail(struct check_result *r, const char *fmt, ...)
{
	va_list	ap;

	/* A sentence longer than the buffer is cut, never refused. */
	va_start(ap, fmt);
	check_vformat(r->detail, sizeof r->detail, fmt, ap);
	va_end(ap);
}
