/*
 * fuzz_csv.c: libFuzzer harness for `auditorctl import` of CSV (cli/csv.c):
 * any bytes read as a file of one collection make records or a message,
 * never a crash or a leak; every record made writes back as a row; and
 * every cell read survives neutralisation (write, then restore) and a
 * write and read as a CSV cell unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "schema/schema.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const colls[] = { "auditors", "trainings",
    "qualifications", "evaluations", "areas", "principals", "audits",
    "findings", "actions" };

/* The cell text as written then read again must be text itself. */
static void
cell_round_trip(const char *text)
{
	struct csv_reader	 rd;
	struct csv_row		 row;
	char			*neut, *buf = NULL, err[128];
	size_t			 len = 0;
	FILE			*fp;

	/* An empty cell is no line at all on its own: nothing to read. */
	if (text[0] == '\0')
		return;
	if ((neut = csv_neutralise(text)) == NULL)
		abort();
	if ((fp = open_memstream(&buf, &len)) == NULL)
		abort();
	if (csv_write_cell(fp, neut, 1, 0) != 0)
		abort();
	fclose(fp);
	if ((fp = fmemopen(buf, len, "r")) == NULL)
		abort();
	memset(&row, 0, sizeof row);
	csv_reader_init(&rd, fp);
	if (csv_read(&rd, &row, err, sizeof err) != 1 || row.n != 1)
		abort();
	csv_restore(row.cells[0].text);
	if (strcmp(row.cells[0].text, text) != 0)
		abort();
	csv_row_free(&row);
	fclose(fp);
	free(buf);
	free(neut);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	const struct schema	*s;
	struct csv_reader	 rd;
	struct csv_row		 header, row;
	char			 err[256], type[64], *out = NULL;
	size_t			 i, outlen = 0, nrows = 0;
	json_t			*rec;
	FILE			*fp, *wf;
	int			 rc;

	if (!ready) {
		if (schema_builtin_init(err, sizeof err) != 0)
			abort();
		ready = 1;
	}
	if (size < 2)
		return 0;
	s = csv_collection_schema(colls[data[0] % (sizeof colls /
	    sizeof colls[0])], type, sizeof type);
	if (s == NULL)
		abort();
	if ((fp = fmemopen((void *)(data + 1), size - 1, "r")) == NULL)
		return 0;
	memset(&header, 0, sizeof header);
	memset(&row, 0, sizeof row);
	csv_reader_init(&rd, fp);
	if ((wf = open_memstream(&out, &outlen)) == NULL)
		abort();
	if (csv_read(&rd, &header, err, sizeof err) != 1)
		goto done;
	while (nrows++ < 64 && (rc = csv_read(&rd, &row, err,
	    sizeof err)) == 1) {
		for (i = 0; i < row.n; i++)
			cell_round_trip(row.cells[i].text);
		if (csv_row_blank(&row))
			continue;
		err[0] = '\0';
		rec = csv_row_record(s, &header, &row, err, sizeof err);
		if (rec == NULL) {
			if (err[0] == '\0')
				abort();
			continue;
		}
		if (csv_write_record(wf, s, rec) != 0)
			abort();
		json_decref(rec);
	}
done:
	fclose(wf);
	free(out);
	csv_row_free(&header);
	csv_row_free(&row);
	fclose(fp);
	return 0;
}
