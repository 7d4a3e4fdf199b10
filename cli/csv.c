/*
 * csv.c: RFC 4180 CSV and its map to records; see csv.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "schema/schema.h"

/* ---- reading ------------------------------------------------------------ */

void
csv_reader_init(struct csv_reader *r, FILE *fp)
{
	r->fp = fp;
	r->line = 0;
}

void
csv_row_free(struct csv_row *row)
{
	free(row->cells);
	free(row->buf);
	free(row->offs);
	memset(row, 0, sizeof *row);
}

static int
row_byte(struct csv_row *row, char c)
{
	char	*nb;
	size_t	 ncap;

	if (row->buflen + 1 >= row->bufcap) {
		if (row->bufcap >= CSV_RECORD_MAX)
			return -1;
		ncap = row->bufcap ? row->bufcap * 2 : 256;
		if ((nb = realloc(row->buf, ncap)) == NULL)
			return -1;
		row->buf = nb;
		row->bufcap = ncap;
	}
	row->buf[row->buflen++] = c;
	return 0;
}

/* Close the cell being read (started at row->offs[row->n]). */
static int
row_end_cell(struct csv_row *row, int quoted)
{
	struct csv_cell	*nc;
	size_t		*no, ncap;

	if (row_byte(row, '\0') != 0)
		return -1;
	if (row->n + 2 > row->cap) {
		ncap = row->cap ? row->cap * 2 : 16;
		if ((nc = reallocarray(row->cells, ncap, sizeof *nc)) == NULL)
			return -1;
		row->cells = nc;
		if ((no = reallocarray(row->offs, ncap, sizeof *no)) == NULL)
			return -1;
		row->offs = no;
		row->cap = ncap;
	}
	row->cells[row->n].quoted = quoted;
	row->cells[row->n].len = row->buflen - 1 - row->offs[row->n];
	row->n++;
	row->offs[row->n] = row->buflen;
	return 0;
}

/* Point the cells into buf once it no longer moves. */
static void
row_finish(struct csv_row *row)
{
	size_t	i;

	for (i = 0; i < row->n; i++)
		row->cells[i].text = row->buf + row->offs[i];
}

static int
row_begin(struct csv_row *row)
{
	row->n = 0;
	row->buflen = 0;
	if (row->cap == 0) {
		if ((row->cells = calloc(16, sizeof *row->cells)) == NULL ||
		    (row->offs = calloc(16, sizeof *row->offs)) == NULL)
			return -1;
		row->cap = 16;
	}
	row->offs[0] = 0;
	return 0;
}

#define FAIL(...)	do { snprintf(err, errlen, __VA_ARGS__); return -1; } \
			while (0)

int
csv_read(struct csv_reader *r, struct csv_row *row, char *err, size_t errlen)
{
	int	c, quoted = 0, inq = 0, after = 0;
	size_t	start = r->line + 1;

	if (row_begin(row) != 0)
		FAIL("out of memory");
	if ((c = getc(r->fp)) == EOF)
		return ferror(r->fp) ? (snprintf(err, errlen, "read error"),
		    -1) : 0;
	row->line = start;
	r->line++;
	for (;; c = getc(r->fp)) {
		if (c == '\0')
			FAIL("a NUL byte on line %zu", r->line);
		if (inq) {
			if (c == EOF)
				FAIL("the quoted field begun on line %zu is "
				    "not closed", start);
			if (c == '"') {
				if ((c = getc(r->fp)) != '"') {
					inq = 0;
					after = 1;
					ungetc(c, r->fp);
					continue;
				}
			} else if (c == '\n')
				r->line++;
			if (row_byte(row, (char)c) != 0)
				FAIL("the record begun on line %zu is too big "
				    "or memory ran out", start);
			continue;
		}
		if (c == '\r') {
			int d = getc(r->fp);
			if (d == '\n' || d == EOF) {
				c = d;
			} else {
				ungetc(d, r->fp);
				if (after)
					FAIL("a character after a closing "
					    "quote on line %zu", r->line);
			}
		}
		if (c == ',' || c == '\n' || c == EOF) {
			if (row_end_cell(row, quoted) != 0)
				FAIL("out of memory");
			if (c != ',')
				break;
			quoted = after = 0;
			continue;
		}
		if (after)
			FAIL("a character after a closing quote on line %zu",
			    r->line);
		/* A quote opens a field only at its start; else it is text. */
		if (c == '"' && row->buflen == row->offs[row->n]) {
			inq = quoted = 1;
			continue;
		}
		if (row_byte(row, (char)c) != 0)
			FAIL("the record begun on line %zu is too big or "
			    "memory ran out", start);
	}
	row_finish(row);
	return 1;
}

int
csv_row_blank(const struct csv_row *row)
{
	return row->n == 1 && row->cells[0].len == 0 && !row->cells[0].quoted;
}

/* ---- writing ------------------------------------------------------------ */

int
csv_write_cell(FILE *fp, const char *s, int first, int force)
{
	const char	*p;

	if (!first && putc(',', fp) == EOF)
		return -1;
	if (!force && strpbrk(s, ",\"\r\n") == NULL)
		return fputs(s, fp) == EOF ? -1 : 0;
	if (putc('"', fp) == EOF)
		return -1;
	for (p = s; *p != '\0'; p++)
		if ((*p == '"' && putc('"', fp) == EOF) || putc(*p, fp) == EOF)
			return -1;
	return putc('"', fp) == EOF ? -1 : 0;
}

/* 1 if s, after its leading single quotes, starts like a formula. */
static int
formula_like(const char *s)
{
	s += strspn(s, "'");
	return *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
}

char *
csv_neutralise(const char *s)
{
	char	*out;
	size_t	 n = strlen(s);

	if (!formula_like(s))
		return strdup(s);
	if ((out = malloc(n + 2)) == NULL)
		return NULL;
	out[0] = '\'';
	memcpy(out + 1, s, n + 1);
	return out;
}

void
csv_restore(char *s)
{
	if (s[0] == '\'' && formula_like(s))
		memmove(s, s + 1, strlen(s));
}

/* ---- records ------------------------------------------------------------ */

/*
 * The record type of a collection: its name without the plural 's'
 * ("trainings": "training"), when a built-in schema has that name.
 */
const struct schema *
csv_collection_schema(const char *coll, char *type, size_t len)
{
	size_t	n = strlen(coll);

	if (n < 2 || n >= len || coll[n - 1] != 's')
		return NULL;
	memcpy(type, coll, n - 1);
	type[n - 1] = '\0';
	if (strcmp(type, "event") == 0 || strcmp(type, "problem") == 0)
		return NULL;
	return schema_builtin(type);
}

int
csv_write_header(FILE *fp, const struct schema *s)
{
	size_t	i, n = schema_nprops(s);

	for (i = 0; i < n; i++)
		if (csv_write_cell(fp, schema_prop(s, i)->name, i == 0, 0) != 0)
			return -1;
	return fputs("\r\n", fp) == EOF ? -1 : 0;
}

/* A number as JSON writes it, as short as reads back the same. */
static char *
number_text(const json_t *v)
{
	char	*t;
	json_t	*back;
	int	 same;

	if (!json_is_real(v))
		return json_dumps(v, JSON_ENCODE_ANY);
	if ((t = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15))) ==
	    NULL)
		return NULL;
	back = json_loads(t, JSON_DECODE_ANY, NULL);
	same = back != NULL && json_number_value(back) == json_real_value(v);
	json_decref(back);
	if (same)
		return t;
	free(t);
	return json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
}

/* An array of strings as a;b, or NULL when it needs JSON. */
static char *
strings_text(const json_t *a)
{
	const json_t	*v;
	const char	*s;
	char		*out, *p;
	size_t		 i, n = 1;

	/* A first item starting with '[' would read back as JSON. */
	json_array_foreach(a, i, v) {
		if ((s = json_string_value(v)) == NULL || *s == '\0' ||
		    strchr(s, ';') != NULL || (i == 0 && *s == '['))
			return NULL;
		n += strlen(s) + 1;
	}
	if ((out = malloc(n)) == NULL)
		return NULL;
	p = out;
	*p = '\0';
	json_array_foreach(a, i, v) {
		s = json_string_value(v);
		p += sprintf(p, "%s%s", i > 0 ? ";" : "", s);
	}
	return out;
}

/*
 * The text of one field's cell into *text (malloc'd; NULL for an absent
 * field) and whether it must be quoted. Returns 0, or -1 for memory.
 */
static int
cell_text(const struct schema_prop *p, const json_t *v, char **text,
    int *force)
{
	char	*t = NULL;

	*force = 0;
	*text = NULL;
	if (v == NULL)
		return 0;
	if (json_is_null(v))
		t = strdup("null");
	else if (json_is_string(v)) {
		t = strdup(json_string_value(v));
		*force = t != NULL && (t[0] == '\0' || strcmp(t, "null") == 0);
	} else if (json_is_number(v))
		t = number_text(v);
	else if (json_is_boolean(v))
		t = strdup(json_is_true(v) ? "true" : "false");
	else if (p->kind == SCHEMA_STRINGS && json_is_array(v) &&
	    json_array_size(v) == 0) {
		t = strdup("");
		*force = 1;
	} else if (p->kind == SCHEMA_STRINGS && json_is_array(v) &&
	    (t = strings_text(v)) != NULL)
		;
	else
		t = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
		    JSON_ENCODE_ANY);
	if (t == NULL)
		return -1;
	*text = csv_neutralise(t);
	free(t);
	return *text != NULL ? 0 : -1;
}

int
csv_write_record(FILE *fp, const struct schema *s, const json_t *rec)
{
	const struct schema_prop	*p;
	char				*t;
	size_t				 i, n = schema_nprops(s);
	int				 force, rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		p = schema_prop(s, i);
		if (cell_text(p, json_object_get(rec, p->name), &t,
		    &force) != 0)
			return -1;
		rc = csv_write_cell(fp, t != NULL ? t : "", i == 0, force);
		free(t);
	}
	if (rc == 0 && fputs("\r\n", fp) == EOF)
		rc = -1;
	return rc;
}

/* text (restored) as JSON of the kind a schema's JSON cell holds, or NULL. */
static json_t *
json_cell(const char *text, int (*is)(const json_t *))
{
	json_t	*v = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
		    NULL);

	if (v != NULL && is != NULL && !is(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static int is_number(const json_t *v) { return json_is_number(v); }
static int is_array(const json_t *v) { return json_is_array(v); }

/* a;b as an array of strings. */
static json_t *
split_strings(const char *s)
{
	json_t		*a = json_array();
	const char	*p = s, *q;

	while (a != NULL) {
		q = p + strcspn(p, ";");
		if (json_array_append_new(a, json_stringn(p, (size_t)(q - p)))
		    != 0) {
			json_decref(a);
			return NULL;
		}
		if (*q == '\0')
			break;
		p = q + 1;
	}
	return a;
}

/* One cell's value by its property's kind (p NULL: not in the schema). */
static json_t *
cell_value(const struct schema_prop *p, const struct csv_cell *c, char *text)
{
	json_t	*v = NULL;

	csv_restore(text);
	if (p == NULL)
		return json_string(text);
	if (p->nullable && !c->quoted && strcmp(text, "null") == 0)
		return json_null();
	switch (p->kind) {
	case SCHEMA_INTEGER:
	case SCHEMA_NUMBER:
		v = json_cell(text, is_number);
		break;
	case SCHEMA_BOOLEAN:
		if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
			v = json_boolean(text[0] == 't');
		break;
	case SCHEMA_STRINGS:
		if (text[0] == '[')
			v = json_cell(text, is_array);
		else if (text[0] == '\0')
			v = json_array();
		else
			v = split_strings(text);
		break;
	case SCHEMA_OBJECT:
	case SCHEMA_OTHER:
		v = json_cell(text, NULL);
		break;
	default:
		break;
	}
	return v != NULL ? v : json_string(text);
}

json_t *
csv_row_record(const struct schema *s, const struct csv_row *header,
    const struct csv_row *row, char *err, size_t errlen)
{
	json_t	*rec, *v;
	char	*text;
	size_t	 i;

	if (row->n != header->n) {
		snprintf(err, errlen, "the record has %zu fields, the header "
		    "%zu", row->n, header->n);
		return NULL;
	}
	if ((rec = json_object()) == NULL)
		goto nomem;
	for (i = 0; i < row->n; i++) {
		/* An empty unquoted cell: the field is absent. */
		if (row->cells[i].len == 0 && !row->cells[i].quoted)
			continue;
		if ((text = strdup(row->cells[i].text)) == NULL)
			goto nomem;
		v = cell_value(schema_prop_find(s, header->cells[i].text),
		    &row->cells[i], text);
		free(text);
		if (v == NULL) {
			json_decref(rec);
			snprintf(err, errlen, "the %.64s field is not UTF-8 "
			    "text", header->cells[i].text);
			return NULL;
		}
		if (json_object_set_new(rec, header->cells[i].text, v) != 0)
			goto nomem;
	}
	return rec;
nomem:
	json_decref(rec);
	snprintf(err, errlen, "out of memory");
	return NULL;
}
