/*
 * csv.h: CSV for `auditorctl import` and `export`: an RFC 4180 reader that
 * streams a file record by record, the cell writer, the neutralisation of
 * cells a spreadsheet would run as formulas, and the map between one
 * record and one row through the property kinds of the record's built-in
 * schema (daemon/schema/schema.h).
 *
 * A row's cells, by the kind of their column's property:
 *   absent field          an empty cell (unquoted)
 *   null                  null (unquoted; only for a property that allows it)
 *   string                the text; "" (quoted) for an empty string, and
 *                         "null" quoted so that it stays a string
 *   integer, number       the number as JSON writes it
 *   boolean               true or false
 *   array of strings      the items joined by ';' (a;b); "" (quoted) for
 *                         an empty array; as JSON when an item is empty or
 *                         holds ';'
 *   object, anything else compact JSON
 * A cell that does not read as its kind says (a number column holding
 * "seven") goes to the server as a string, which refuses it with its usual
 * message. Columns the schema does not know go as strings too.
 *
 * Neutralisation (OWASP's advice for CSV injection): a cell whose text,
 * after any leading single quotes, starts with '=', '+', '-', '@', TAB or CR
 * is written with one more ' in front, so a spreadsheet shows it as text;
 * reading drops that one ' again. A value that really starts with a quote
 * ("'=x") is written "''=x" and read back as "'=x"; "'abc" is left alone
 * both ways.
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct schema;

struct csv_cell {
	char	*text;		/* NUL-terminated; may hold NUL-free newlines */
	size_t	 len;
	int	 quoted;	/* it was written in double quotes */
};

/* One record of a CSV file; reused from call to call of csv_read. */
struct csv_row {
	struct csv_cell	*cells;
	size_t		 n, cap;
	char		*buf;		/* the cells' text, one after another */
	size_t		 buflen, bufcap;
	size_t		*offs;		/* each cell's start in buf */
	size_t		 line;		/* the physical line it starts on */
};

struct csv_reader {
	FILE	*fp;
	size_t	 line;		/* physical lines read */
};

void	csv_reader_init(struct csv_reader *, FILE *);

/*
 * Read the next record into row: fields split at ',', records at LF or
 * CRLF, fields in double quotes may hold ',', '"' (doubled) and line
 * breaks. Returns 1 with row filled (a blank line is a row of one empty,
 * unquoted cell), 0 at the end of the file, or -1 with why in err: a quoted
 * field not closed, a character after a closing quote, a NUL byte, a
 * record over CSV_RECORD_MAX bytes, a read error or memory.
 */
#define CSV_RECORD_MAX	(16u << 20)
int	csv_read(struct csv_reader *, struct csv_row *, char *err,
	    size_t errlen);
void	csv_row_free(struct csv_row *);

/* 1 if row is a blank line (one empty, unquoted cell). */
int	csv_row_blank(const struct csv_row *);

/*
 * Write one cell (with a ',' before it unless first): in double quotes
 * when it holds ',', '"', CR or LF, or when force is set. Returns 0, or -1
 * when it cannot be written.
 */
int	csv_write_cell(FILE *, const char *text, int first, int force);

/* The text to write for s, neutralised (above). Malloc'd; NULL: memory. */
char	*csv_neutralise(const char *s);

/* Undo csv_neutralise on s in place. */
void	csv_restore(char *s);

/*
 * The built-in schema of a collection's records: its name without the
 * plural 's' ("trainings": type "training", copied into type), or NULL
 * when there is none (events are no records to import).
 */
const struct schema *csv_collection_schema(const char *coll, char *type,
	    size_t len);

/* The header row of type schema s: its properties' names, in its order. */
int	csv_write_header(FILE *, const struct schema *);

/*
 * rec as one row in the order of s's properties (members it has that s
 * does not name are not written: records never hold any). Returns 0, or -1
 * when it cannot be written or memory ran out.
 */
int	csv_write_record(FILE *, const struct schema *, const json_t *rec);

/*
 * The record that row makes under header (the file's first row: field
 * names) for type schema s, cells read back by their property's kind and
 * restored. Returns a new object, or NULL with why in err (the row has more
 * or fewer cells than the header, or memory).
 */
json_t	*csv_row_record(const struct schema *, const struct csv_row *header,
	    const struct csv_row *row, char *err, size_t errlen);

#endif
