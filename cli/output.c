/*
 * output.c: auditorctl's three writers (tables, JSON, CSV) behind one
 * vtable; see output.h. Which one runs is chosen once, in main.c.
 */
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <libsmartcols.h>

#include "csv.h"
#include "output.h"

/* One FIELD VALUE pair of a flattened document. */
struct pair {
	char	*key;
	char	*value;
};

struct pairs {
	struct pair	*v;
	size_t		 n;
	size_t		 cap;
};

static int
scalar(const json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

/*
 * The member of item a column names; "a.b" is member b of member a (a
 * programme's period.from). NULL when absent. Borrowed from item.
 */
static const json_t *
output_member(const json_t *item, const char *field)
{
	const char	*dot;
	char		 name[64];

	while ((dot = strchr(field, '.')) != NULL && item != NULL) {
		if ((size_t)(dot - field) >= sizeof name)
			return NULL;
		snprintf(name, sizeof name, "%.*s", (int)(dot - field), field);
		item = json_object_get(item, name);
		field = dot + 1;
	}
	return json_object_get(item, field);
}

char *
output_text(const json_t *v, int flags)
{
	char	buf[64];
	char	*s, *part, *joined;
	size_t	 i, len, plen;
	json_t	*e;

	if (v == NULL || json_is_null(v))
		return strdup("");
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_true(v))
		return strdup("true");
	if (json_is_false(v))
		return strdup("false");
	if (json_is_integer(v)) {
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return strdup(buf);
	}
	if (json_is_array(v) && (flags & OUTPUT_COUNT)) {
		snprintf(buf, sizeof buf, "%zu", json_array_size(v));
		return strdup(buf);
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (!scalar(e))
				goto compact;
		/* A list of names or ids reads best as "en,de". */
		joined = strdup("");
		len = 0;
		json_array_foreach(v, i, e) {
			if (joined == NULL || (part = output_text(e, 0)) == NULL) {
				free(joined);
				return NULL;
			}
			plen = strlen(part);
			s = realloc(joined, len + plen + 2);
			if (s == NULL) {
				free(part);
				free(joined);
				return NULL;
			}
			joined = s;
			if (i > 0)
				joined[len++] = ',';
			memcpy(joined + len, part, plen + 1);
			len += plen;
			free(part);
		}
		return joined;
	}
 compact:
	/* Reals (hours) and nested structures: JSON's own spelling. */
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
	    JSON_REAL_PRECISION(15));
}

const char *
output_number(double d, char *buf, size_t len)
{
	char	*e;

	snprintf(buf, len, "%.2f", d);
	if (strchr(buf, '.') != NULL) {
		for (e = buf + strlen(buf) - 1; *e == '0'; e--)
			*e = '\0';
		if (*e == '.')
			*e = '\0';
	}
	/* -0.001 rounds to "-0". */
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, len, "0");
	return buf;
}

int
output_utf8(void)
{
	const char	*cs = nl_langinfo(CODESET);

	return cs != NULL && strcmp(cs, "UTF-8") == 0;
}

size_t
output_width(const char *s)
{
	mbstate_t	st;
	wchar_t		wc;
	size_t		n, cols = 0;
	int		w;

	if (!output_utf8())
		return strlen(s);
	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		n = mbrtowc(&wc, s, strlen(s), &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			/* Not UTF-8: a byte at a time, one column each. */
			memset(&st, 0, sizeof st);
			n = 1;
			w = 1;
		} else
			w = wcwidth(wc);
		cols += w < 0 ? 1 : (size_t)w;
		s += n;
	}
	return cols;
}

char *
output_csv_quote(const char *s)
{
	const char	*p;
	char		*out, *q;
	size_t		 quotes = 0;

	if (strpbrk(s, ",\"\r\n") == NULL)
		return strdup(s);
	for (p = s; *p != '\0'; p++)
		if (*p == '"')
			quotes++;
	if ((out = malloc(strlen(s) + quotes + 3)) == NULL)
		return NULL;
	q = out;
	*q++ = '"';
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			*q++ = '"';
		*q++ = *p;
	}
	*q++ = '"';
	*q = '\0';
	return out;
}

char *
output_csv_safe(const char *s)
{
	char	*end;
	double	 d;

	/* Only digits, a point, signs and exponents: a number, not code. */
	if (s[0] != '\0' && strchr("+-", s[0]) != NULL &&
	    strspn(s, "0123456789.eE+-") == strlen(s)) {
		d = strtod(s, &end);
		if (*end == '\0' && end != s && d == d)
			return strdup(s);
	}
	/* The rule import reverses: "'=x" is written "''=x". */
	return csv_neutralise(s);
}

static void
pairs_free(struct pairs *ps)
{
	size_t	i;

	for (i = 0; i < ps->n; i++) {
		free(ps->v[i].key);
		free(ps->v[i].value);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->cap = 0;
}

/* Takes key and value (both freed on failure). */
static int
pairs_add(struct pairs *ps, char *key, char *value)
{
	struct pair	*nv;
	size_t		 ncap;

	if (key == NULL || value == NULL)
		goto fail;
	if (ps->n == ps->cap) {
		ncap = ps->cap ? ps->cap * 2 : 16;
		if ((nv = reallocarray(ps->v, ncap, sizeof *nv)) == NULL)
			goto fail;
		ps->v = nv;
		ps->cap = ncap;
	}
	ps->v[ps->n].key = key;
	ps->v[ps->n].value = value;
	ps->n++;
	return 0;
 fail:
	free(key);
	free(value);
	return -1;
}

static int flatten(struct pairs *, const char *, const json_t *);

static int
flatten_member(struct pairs *ps, const char *prefix, const char *k,
    const json_t *m)
{
	char	*key;
	int	 rc;

	if (prefix == NULL)
		key = strdup(k);
	else if (asprintf(&key, "%s.%s", prefix, k) < 0)
		key = NULL;
	if (key == NULL)
		return -1;
	rc = flatten(ps, key, m);
	free(key);
	return rc;
}

/* Where a member goes: the id first, the server's bookkeeping last. */
static int
member_rank(const char *k)
{
	static const char *const	last[] = { "rev", "created", "updated" };
	size_t				i;

	if (strcmp(k, "id") == 0)
		return 0;
	for (i = 0; i < sizeof last / sizeof *last; i++)
		if (strcmp(k, last[i]) == 0)
			return 2 + (int)i;
	return 1;
}

/*
 * Nested objects become dotted keys ("principal.role") so that `me`, which
 * answers two records in one document, reads as one list of fields.
 */
static int
flatten(struct pairs *ps, const char *prefix, const json_t *v)
{
	const char	*k;
	json_t		*m;
	int		 rank;

	if (!json_is_object(v) || (prefix != NULL && json_object_size(v) == 0))
		return pairs_add(ps, strdup(prefix ? prefix : "value"),
		    output_text(v, 0));
	for (rank = 0; rank <= 4; rank++)
		json_object_foreach((json_t *)v, k, m)
			if (member_rank(k) == rank &&
			    flatten_member(ps, prefix, k, m) == -1)
				return -1;
	return 0;
}

static const json_t *
list_items(const json_t *doc)
{
	const json_t	*items = json_object_get(doc, "items");

	return json_is_array(items) ? items : NULL;
}

static struct libscols_table *
table_new(FILE *fp)
{
	struct libscols_table	*tb;

	if ((tb = scols_new_table()) == NULL)
		return NULL;
	scols_table_set_stream(tb, fp);
	scols_table_enable_colors(tb, 0);
	return tb;
}

/*
 * Not on a terminal: plain lines without headings, fields separated by one
 * tab, so that grep, cut -f and awk -F'\t' read them. A backslash, tab, CR,
 * LF or other control character in a value is written as a C escape (\\,
 * \t, \r, \n, \xHH) so that each record stays one line. (libsmartcols'
 * raw mode would also escape every blank as \x20, which makes names
 * unreadable.)
 */
static int
plain_field(FILE *fp, const char *s, int first)
{
	const unsigned char	*p;
	int			 rc = 0;

	if (!first && fputc('\t', fp) == EOF)
		return -1;
	for (p = (const unsigned char *)s; *p != '\0' && rc >= 0; p++) {
		switch (*p) {
		case '\\':
			rc = fputs("\\\\", fp);
			break;
		case '\t':
			rc = fputs("\\t", fp);
			break;
		case '\n':
			rc = fputs("\\n", fp);
			break;
		case '\r':
			rc = fputs("\\r", fp);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				rc = fprintf(fp, "\\x%02x", *p);
			else
				rc = fputc(*p, fp);
			break;
		}
	}
	return rc < 0 ? -1 : 0;
}

static int
plain_list(FILE *fp, const struct output_column *cols, size_t ncols,
    const json_t *doc)
{
	const json_t	*items = list_items(doc);
	json_t		*item;
	char		*text;
	size_t		 i, c;
	int		 rc;

	json_array_foreach(items, i, item) {
		for (c = 0; c < ncols; c++) {
			if ((text = output_text(output_member(item,
			    cols[c].field), cols[c].flags)) == NULL)
				return -1;
			rc = plain_field(fp, text, c == 0);
			free(text);
			if (rc == -1)
				return -1;
		}
		if (fputc('\n', fp) == EOF)
			return -1;
	}
	return 0;
}

static int
plain_show(FILE *fp, const struct pairs *ps)
{
	size_t	i;

	for (i = 0; i < ps->n; i++)
		if (plain_field(fp, ps->v[i].key, 1) == -1 ||
		    plain_field(fp, ps->v[i].value, 0) == -1 ||
		    fputc('\n', fp) == EOF)
			return -1;
	return 0;
}

static int
table_list(FILE *fp, const struct output_column *cols, size_t ncols,
    const json_t *doc)
{
	struct libscols_table	*tb;
	struct libscols_line	*ln;
	const json_t		*items = list_items(doc);
	json_t			*item;
	size_t			 i, c;
	int			 fl, rc = -1;
	char			*text;

	if (!isatty(fileno(fp)))
		return plain_list(fp, cols, ncols, doc);
	if ((tb = table_new(fp)) == NULL)
		return -1;
	for (c = 0; c < ncols; c++) {
		fl = 0;
		if (cols[c].flags & OUTPUT_TRUNC)
			fl |= SCOLS_FL_TRUNC;
		if (cols[c].flags & (OUTPUT_RIGHT | OUTPUT_COUNT))
			fl |= SCOLS_FL_RIGHT;
		if (scols_table_new_column(tb, cols[c].title, 0, fl) == NULL)
			goto done;
	}
	json_array_foreach(items, i, item) {
		if ((ln = scols_table_new_line(tb, NULL)) == NULL)
			goto done;
		for (c = 0; c < ncols; c++) {
			text = output_text(output_member(item,
			    cols[c].field), cols[c].flags);
			/* On success the line owns text. */
			if (text == NULL || scols_line_refer_data(ln, c, text)) {
				free(text);
				goto done;
			}
		}
	}
	if (scols_print_table(tb) == 0)
		rc = 0;
 done:
	scols_unref_table(tb);
	return rc;
}

static int
table_show(FILE *fp, const json_t *doc)
{
	struct libscols_table	*tb = NULL;
	struct libscols_line	*ln;
	struct pairs		 ps = { NULL, 0, 0 };
	size_t			 i;
	int			 rc = -1;

	if (flatten(&ps, NULL, doc) == -1)
		goto done;
	if (!isatty(fileno(fp))) {
		rc = plain_show(fp, &ps);
		goto done;
	}
	if ((tb = table_new(fp)) == NULL)
		goto done;
	if (scols_table_new_column(tb, "FIELD", 0, 0) == NULL ||
	    scols_table_new_column(tb, "VALUE", 0, SCOLS_FL_WRAP) == NULL)
		goto done;
	for (i = 0; i < ps.n; i++) {
		if ((ln = scols_table_new_line(tb, NULL)) == NULL)
			goto done;
		if (scols_line_set_data(ln, 0, ps.v[i].key) ||
		    scols_line_set_data(ln, 1, ps.v[i].value))
			goto done;
	}
	if (scols_print_table(tb) == 0)
		rc = 0;
 done:
	scols_unref_table(tb);
	pairs_free(&ps);
	return rc;
}

static int
json_write(FILE *fp, const json_t *doc)
{
	if (json_dumpf(doc, fp, JSON_INDENT(2) | JSON_ENCODE_ANY |
	    JSON_REAL_PRECISION(15)) == -1)
		return -1;
	return fputc('\n', fp) == EOF ? -1 : 0;
}

static int
json_list(FILE *fp, const struct output_column *cols, size_t ncols,
    const json_t *doc)
{
	(void)cols;
	(void)ncols;
	return json_write(fp, doc);
}

/*
 * Fields separated by commas, records by CRLF, as RFC 4180 says; no cell
 * that a spreadsheet would run as a formula.
 */
static int
csv_row(FILE *fp, char *const *fields, size_t n)
{
	char	*safe, *q;
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		if ((safe = output_csv_safe(fields[i])) == NULL)
			return -1;
		q = output_csv_quote(safe);
		free(safe);
		if (q == NULL)
			return -1;
		if (fprintf(fp, "%s%s", i > 0 ? "," : "", q) < 0)
			rc = -1;
		free(q);
	}
	if (rc == 0 && fputs("\r\n", fp) == EOF)
		rc = -1;
	return rc;
}

static int
csv_list(FILE *fp, const struct output_column *cols, size_t ncols,
    const json_t *doc)
{
	const json_t	*items = list_items(doc);
	json_t		*item;
	char		**row;
	size_t		 i, c;
	int		 rc = -1;

	if ((row = calloc(ncols ? ncols : 1, sizeof *row)) == NULL)
		return -1;
	for (c = 0; c < ncols; c++)
		row[c] = (char *)cols[c].field;
	if (csv_row(fp, row, ncols) == -1) {
		free(row);
		return -1;
	}
	memset(row, 0, ncols * sizeof *row);
	json_array_foreach(items, i, item) {
		for (c = 0; c < ncols; c++)
			if ((row[c] = output_text(output_member(item,
			    cols[c].field), cols[c].flags)) == NULL)
				goto done;
		if (csv_row(fp, row, ncols) == -1)
			goto done;
		for (c = 0; c < ncols; c++) {
			free(row[c]);
			row[c] = NULL;
		}
	}
	rc = 0;
 done:
	for (c = 0; c < ncols; c++)
		free(row[c]);
	free(row);
	return rc;
}

/* Like a list of one: a heading row of field names, then the values. */
static int
csv_show(FILE *fp, const json_t *doc)
{
	struct pairs	 ps = { NULL, 0, 0 };
	char		**row = NULL;
	size_t		 i;
	int		 rc = -1;

	if (flatten(&ps, NULL, doc) == -1)
		goto done;
	if ((row = calloc(ps.n ? ps.n : 1, sizeof *row)) == NULL)
		goto done;
	for (i = 0; i < ps.n; i++)
		row[i] = ps.v[i].key;
	if (csv_row(fp, row, ps.n) == -1)
		goto done;
	for (i = 0; i < ps.n; i++)
		row[i] = ps.v[i].value;
	if (csv_row(fp, row, ps.n) == -1)
		goto done;
	rc = 0;
 done:
	free(row);
	pairs_free(&ps);
	return rc;
}

static int
grid_plain(FILE *fp, const struct output_grid *g)
{
	size_t	r, c;

	for (r = 0; r < g->nrows; r++) {
		for (c = 0; c < g->ncols; c++)
			if (plain_field(fp, g->cells[r * g->ncols + c],
			    c == 0) == -1)
				return -1;
		if (fputc('\n', fp) == EOF)
			return -1;
	}
	return 0;
}

static int
grid_table(FILE *fp, const struct output_grid *g)
{
	struct libscols_table	*tb;
	struct libscols_line	*ln;
	size_t			 r, c;
	int			 fl, rc = -1;

	if (!isatty(fileno(fp)))
		return grid_plain(fp, g);
	if ((tb = table_new(fp)) == NULL)
		return -1;
	for (c = 0; c < g->ncols; c++) {
		fl = 0;
		if (g->flags[c] & OUTPUT_TRUNC)
			fl |= SCOLS_FL_TRUNC;
		if (g->flags[c] & OUTPUT_RIGHT)
			fl |= SCOLS_FL_RIGHT;
		if (scols_table_new_column(tb, g->titles[c], 0, fl) == NULL)
			goto done;
	}
	for (r = 0; r < g->nrows; r++) {
		if ((ln = scols_table_new_line(tb, NULL)) == NULL)
			goto done;
		for (c = 0; c < g->ncols; c++)
			if (scols_line_set_data(ln, c,
			    g->cells[r * g->ncols + c]) != 0)
				goto done;
	}
	if (scols_print_table(tb) == 0)
		rc = 0;
 done:
	scols_unref_table(tb);
	return rc;
}

int
output_grid_write(const struct output *out, FILE *fp,
    const struct output_grid *g)
{
	size_t	r;

	if (out != &output_csv)
		return grid_table(fp, g);
	if (csv_row(fp, (char *const *)g->titles, g->ncols) == -1)
		return -1;
	for (r = 0; r < g->nrows; r++)
		if (csv_row(fp, g->cells + r * g->ncols, g->ncols) == -1)
			return -1;
	return 0;
}

const struct output output_table = { "table", table_list, table_show };
const struct output output_json = { "json", json_list, json_write };
const struct output output_csv = { "csv", csv_list, csv_show };
