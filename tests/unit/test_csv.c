/*
 * test_csv.c: cli/csv.c: the RFC 4180 reader and its errors, cell
 * quoting, the neutralisation of formula-looking cells and its reverse,
 * and records written as rows and read back by the schema's kinds.
 */
#include "cu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "schema/schema.h"

/* Read every record of text; returns how many, rows in out (max n). */
static int
read_all(const char *text, size_t len, struct csv_row *out, int n,
    char *err, size_t errlen)
{
	struct csv_reader	 rd;
	FILE			*fp = fmemopen((void *)text, len, "r");
	int			 got = 0, rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	csv_reader_init(&rd, fp);
	err[0] = '\0';
	while (got < n && (rc = csv_read(&rd, &out[got], err, errlen)) == 1)
		got++;
	if (got < n && rc == -1)
		got = -1 - got;
	fclose(fp);
	return got;
}

static void
free_rows(struct csv_row *rows, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		csv_row_free(&rows[i]);
}

static void
test_read(void)
{
	static const char	text[] =
	    "a,b,c\r\n"
	    "1,\"x, y\",\"say \"\"hi\"\"\"\n"
	    "\"two\nlines\",,\"\"\n"
	    "\n"
	    "a\"b,c\rd,last";
	struct csv_row		r[8];
	char			err[128];

	memset(r, 0, sizeof r);
	CU_ASSERT_EQUAL_FATAL(read_all(text, sizeof text - 1, r, 8, err,
	    sizeof err), 5);
	CU_ASSERT_EQUAL(r[0].n, 3);
	CU_ASSERT_STRING_EQUAL(r[0].cells[2].text, "c");	/* CRLF */
	CU_ASSERT_EQUAL(r[1].line, 2);
	CU_ASSERT_STRING_EQUAL(r[1].cells[1].text, "x, y");
	CU_ASSERT_STRING_EQUAL(r[1].cells[2].text, "say \"hi\"");
	CU_ASSERT(r[1].cells[1].quoted);
	CU_ASSERT(!r[1].cells[0].quoted);
	/* A line break inside quotes: the row starts on line 3. */
	CU_ASSERT_EQUAL(r[2].line, 3);
	CU_ASSERT_STRING_EQUAL(r[2].cells[0].text, "two\nlines");
	CU_ASSERT_EQUAL(r[2].cells[0].len, 9);
	CU_ASSERT(r[2].cells[1].len == 0 && !r[2].cells[1].quoted);
	CU_ASSERT(r[2].cells[2].len == 0 && r[2].cells[2].quoted);
	CU_ASSERT(!csv_row_blank(&r[2]));
	CU_ASSERT_EQUAL(r[3].line, 5);
	CU_ASSERT(csv_row_blank(&r[3]));
	/* A quote inside a field and a lone CR are text; no final newline. */
	CU_ASSERT_EQUAL(r[4].line, 6);
	CU_ASSERT_EQUAL(r[4].n, 3);
	CU_ASSERT_STRING_EQUAL(r[4].cells[0].text, "a\"b");
	CU_ASSERT_STRING_EQUAL(r[4].cells[1].text, "c\rd");
	CU_ASSERT_STRING_EQUAL(r[4].cells[2].text, "last");
	free_rows(r, 8);

	/* An empty file has no record. */
	CU_ASSERT_EQUAL(read_all("", 0, r, 1, err, sizeof err), 0);
	free_rows(r, 1);
}

static void
test_read_errors(void)
{
	static const struct {
		const char	*text;
		size_t		 len;
		int		 good;	/* records before the error */
		const char	*says;
	} cases[] = {
		{ "a,b\n\"open,\nx\n", 12, 1, "begun on line 2 is not closed" },
		{ "\"a\"b,c\n", 7, 0, "after a closing quote on line 1" },
		{ "\"a\" ,c\n", 7, 0, "after a closing quote" },
		{ "a\n\"a\"\rb\n", 8, 1, "after a closing quote on line 2" },
		{ "a,b\nc\0d\n", 8, 1, "a NUL byte on line 2" },
	};
	struct csv_row	r[4];
	char		err[128];
	size_t		i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(r, 0, sizeof r);
		CU_ASSERT_EQUAL(read_all(cases[i].text, cases[i].len, r, 4,
		    err, sizeof err), -1 - cases[i].good);
		if (strstr(err, cases[i].says) == NULL)
			fprintf(stderr, "case %zu: %s\n", i, err);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].says));
		free_rows(r, 4);
	}
}

/* What writing cells makes, as a string the caller frees. */
static char *
written(const char *const *cells, const int *force, size_t n)
{
	char	*buf = NULL;
	size_t	 len = 0, i;
	FILE	*fp = open_memstream(&buf, &len);

	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(csv_write_cell(fp, cells[i], i == 0,
		    force[i]), 0);
	fclose(fp);
	return buf;
}

static void
test_write_cells(void)
{
	static const char *const	cells[] = { "plain", "a,b", "say \"hi\"",
					    "cr\rhere", "two\nlines", "", "" };
	static const int		force[] = { 0, 0, 0, 0, 0, 0, 1 };
	char				*s = written(cells, force, 7);

	CU_ASSERT_STRING_EQUAL(s, "plain,\"a,b\",\"say \"\"hi\"\"\","
	    "\"cr\rhere\",\"two\nlines\",,\"\"");
	free(s);
}

static void
test_neutralise(void)
{
	static const struct {
		const char	*value, *cell;
	} cases[] = {
		{ "=1+1", "'=1+1" },
		{ "+x", "'+x" },
		{ "-5", "'-5" },
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "\tx", "'\tx" },
		{ "\rx", "'\rx" },
		/* a value that really starts with a quote keeps it */
		{ "'=x", "''=x" },
		{ "''-1", "'''-1" },
		{ "'abc", "'abc" },
		{ "'", "'" },
		{ "", "" },
		{ "a=b", "a=b" },
		{ "x-", "x-" },
	};
	char	*c;
	size_t	 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = csv_neutralise(cases[i].value);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		if (strcmp(c, cases[i].cell) != 0)
			fprintf(stderr, "neutralise case %zu: [%s]\n", i, c);
		CU_ASSERT_STRING_EQUAL(c, cases[i].cell);
		csv_restore(c);
		CU_ASSERT_STRING_EQUAL(c, cases[i].value);
		free(c);
	}
}

/* rec written as a CSV file of s and read back; the caller frees it. */
static json_t *
round_trip(const struct schema *s, const json_t *rec, char **file)
{
	struct csv_row	 r[3];
	char		*buf = NULL, err[128];
	size_t		 len = 0;
	FILE		*fp = open_memstream(&buf, &len);
	json_t		*back;

	CU_ASSERT_EQUAL(csv_write_header(fp, s), 0);
	CU_ASSERT_EQUAL(csv_write_record(fp, s, rec), 0);
	fclose(fp);
	memset(r, 0, sizeof r);
	CU_ASSERT_EQUAL(read_all(buf, len, r, 3, err, sizeof err), 2);
	back = csv_row_record(s, &r[0], &r[1], err, sizeof err);
	if (back == NULL)
		fprintf(stderr, "round trip: %s\n", err);
	free_rows(r, 3);
	*file = buf;
	return back;
}

static void
check_round_trip(const char *type, const char *json, const char *in_file)
{
	const struct schema	*s = schema_builtin(type);
	json_t			*rec = json_loads(json, 0, NULL), *back;
	char			*file = NULL, *a, *b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
	back = round_trip(s, rec, &file);
	CU_ASSERT_PTR_NOT_NULL(back);
	if (!json_equal(rec, back)) {
		a = json_dumps(rec, JSON_SORT_KEYS);
		b = json_dumps(back, JSON_SORT_KEYS);
		fprintf(stderr, "\n%s\n  in:  %s\n  out: %s\n  csv: %s\n", type,
		    a, b, file);
		free(a);
		free(b);
	}
	CU_ASSERT(json_equal(rec, back));
	if (in_file != NULL && strstr(file, in_file) == NULL)
		fprintf(stderr, "\n%s: no [%s] in:\n%s\n", type, in_file, file);
	if (in_file != NULL)
		CU_ASSERT_PTR_NOT_NULL(strstr(file, in_file));
	free(file);
	json_decref(rec);
	json_decref(back);
}

static void
test_records(void)
{
	/* Formula-looking text is neutralised in the file, exact after. */
	check_round_trip("auditor", "{\"id\":\"a1\",\"rev\":3,"
	    "\"created\":\"2026-01-01T00:00:00Z\",\"name\":\"+x\","
	    "\"email\":\"@SUM(A1)\",\"notes\":\"=1+1\",\"unit\":\"-5\","
	    "\"languages\":[\"en\",\"pt-BR\"],\"status\":\"active\"}",
	    ",'+x,'@SUM(A1),'-5,,en;pt-BR,active,'=1+1\r\n");
	/* A value that really starts with a quote, and one before '='. */
	check_round_trip("auditor", "{\"id\":\"a2\",\"name\":\"'quoted\","
	    "\"notes\":\"'=not a formula\"}", "'quoted,,,,,,''=not a formula");
	/* Empty text and list against absent; the text null; line breaks. */
	check_round_trip("auditor", "{\"id\":\"a3\",\"notes\":\"\","
	    "\"languages\":[],\"name\":\"null\",\"unit\":\"a,\\\"b\\\"\\r\\nc\"}",
	    "\"null\",,\"a,\"\"b\"\"\r\nc\",,\"\",,\"\"");
	/* Real null where the schema allows it; booleans; digests. */
	check_round_trip("principal", "{\"id\":\"p1\",\"name\":\"P\","
	    "\"role\":\"viewer\",\"auditor\":null,\"disabled\":false,"
	    "\"certs\":[\"0a0b\"]}", ",null,0a0b,false");
	/* Numbers as short as read back the same; a list item with ';'. */
	check_round_trip("training", "{\"id\":\"t1\",\"auditor\":\"a1\","
	    "\"title\":\"T\",\"date\":\"2026-02-03\",\"hours\":7.35,"
	    "\"cpd\":true,\"areas\":[\"a;b\",\"c\"],\"verified\":false}",
	    ",7.35,true,\"[\"\"a;b\"\",\"\"c\"\"]\",");
	check_round_trip("training", "{\"id\":\"t2\",\"hours\":0.1,"
	    "\"areas\":[\"[x\"]}", ",0.1,,\"[\"\"[x\"\"]\"");
	/* A negative number and the text -5 both come back as they were. */
	check_round_trip("training", "{\"id\":\"t3\",\"hours\":-5,"
	    "\"title\":\"-5\"}", "'-5");
	check_round_trip("training", "{\"id\":\"t4\",\"title\":\"'=x\","
	    "\"provider\":\"''-5\"}", "''=x");
	check_round_trip("training", "{\"id\":\"t3\",\"hours\":3}", ",3,");
	/* An array of objects as JSON. */
	check_round_trip("evaluation", "{\"id\":\"e1\",\"assessed\":"
	    "[{\"area\":\"x\",\"level\":\"competent\"}],\"notes\":\"-\"}",
	    "\"[{\"\"area\"\":\"\"x\"\",\"\"level\"\":\"\"competent\"\"}]\"");
	/* A date that may be null. */
	check_round_trip("qualification", "{\"id\":\"q1\",\"expires\":null}",
	    ",null,");
}

static void
test_row_record(void)
{
	static const char	text[] = "id,hours,cpd,colour,areas\n"
				    "t1,seven,maybe,red,a;b\n"
				    "t2,1\n";
	const struct schema	*s = schema_builtin("training");
	struct csv_row		 r[4];
	json_t			*rec;
	char			 err[128];

	memset(r, 0, sizeof r);
	CU_ASSERT_EQUAL_FATAL(read_all(text, sizeof text - 1, r, 4, err,
	    sizeof err), 3);
	/* Cells that are not their kind, and unknown columns: strings. */
	rec = csv_row_record(s, &r[0], &r[1], err, sizeof err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(rec,
	    "hours")), "seven");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(rec,
	    "cpd")), "maybe");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(rec,
	    "colour")), "red");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(rec, "areas")), 2);
	json_decref(rec);
	/* Fewer fields than the header. */
	CU_ASSERT_PTR_NULL(csv_row_record(s, &r[0], &r[2], err, sizeof err));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "has 2 fields, the header 5"));
	free_rows(r, 4);
}

static void
test_collection_schema(void)
{
	char	type[64];

	CU_ASSERT_PTR_NOT_NULL(csv_collection_schema("trainings", type,
	    sizeof type));
	CU_ASSERT_STRING_EQUAL(type, "training");
	CU_ASSERT_PTR_NULL(csv_collection_schema("events", type, sizeof type));
	CU_ASSERT_PTR_NULL(csv_collection_schema("training", type,
	    sizeof type));
	CU_ASSERT_PTR_NULL(csv_collection_schema("s", type, sizeof type));
}

int
main(void)
{
	static const struct cu_test	tests[] = {
		{ "RFC 4180 records, quotes, line breaks", test_read },
		{ "malformed CSV names the line", test_read_errors },
		{ "cells quoted when they must be", test_write_cells },
		{ "formula-looking cells neutralised and restored",
		    test_neutralise },
		{ "records to rows and back by the schema's kinds",
		    test_records },
		{ "cells not of their kind, and field counts",
		    test_row_record },
		{ "a collection's record type", test_collection_schema },
		{ NULL, NULL }
	};
	int	rc = cu_run("csv", tests);

	schema_builtin_free();
	return rc;
}
