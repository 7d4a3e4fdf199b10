/*
 * output.h: how auditorctl prints answers, as one vtable with three
 * instances (bgpctl style): tables (libsmartcols; raw lines when not on a
 * terminal), the server's JSON pretty-printed, and RFC 4180 CSV.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#define OUTPUT_TRUNC	0x1	/* may be truncated to fit the terminal */
#define OUTPUT_RIGHT	0x2	/* right-aligned (numbers) */
#define OUTPUT_COUNT	0x4	/* show an array's length, not its values */

/* One column of a list: the item member it shows. */
struct output_column {
	const char	*title;		/* table heading: "ID" */
	const char	*field;		/* member of each item; CSV heading */
	int		 flags;		/* OUTPUT_* */
};

struct output {
	const char	*name;
	/*
	 * A list answer: doc is {"items":[…],"next":…}; the table and CSV
	 * writers show the given columns of each item, the JSON writer doc.
	 */
	int	(*list)(FILE *, const struct output_column *, size_t,
		    const json_t *doc);
	/* One document: FIELD VALUE pairs, nested objects as a.b keys. */
	int	(*show)(FILE *, const json_t *doc);
};
/* The writers return 0, or -1 when the output could not be made or written. */

extern const struct output	output_table;
extern const struct output	output_json;
extern const struct output	output_csv;

/*
 * The text shown for one value: strings as they are, numbers, true/false,
 * "" for null or absent (v NULL), arrays of scalars joined with ",", other
 * arrays and objects as compact JSON. With OUTPUT_COUNT, an array's length.
 * Returns a malloc'd string the caller frees, NULL on allocation failure.
 */
char	*output_text(const json_t *v, int flags);

/*
 * A number as people write hours: at most two decimals, no trailing zeros
 * (18.5, 20, 7.25), into buf. Returns buf.
 */
const char	*output_number(double, char *buf, size_t len);

/*
 * 1 if the locale's character set is UTF-8 (main has called
 * setlocale(LC_CTYPE, "")): the human views then draw with UTF-8 symbols
 * (a check mark, a cross, blocks), else with ASCII.
 */
int	output_utf8(void);

/*
 * The terminal columns s takes: in a UTF-8 locale each character's width
 * (wcwidth; an unprintable one or a byte that is not UTF-8 counts one),
 * otherwise its bytes.
 */
size_t	output_width(const char *s);

/*
 * One CSV field per RFC 4180: quoted when it holds a comma, a double quote,
 * CR or LF (quotes doubled), as is otherwise. Malloc'd; NULL if out of
 * memory.
 */
char	*output_csv_quote(const char *);

/*
 * A CSV cell a spreadsheet will not run: csv_neutralise (csv.h), so that
 * text that starts with =, +, -, @, a tab or CR, after any leading single
 * quotes, gets one more ' in front and import reads back exactly what was
 * written; a number such as -3 or +1.5 stays as it is (a spreadsheet reads
 * it as a number, never as a formula, and import as the same text). Every
 * cell the CSV writers write goes through it before output_csv_quote.
 * Malloc'd; NULL if out of memory.
 */
char	*output_csv_safe(const char *);

/*
 * A grid of text: ncols columns, each with a title (the table's heading,
 * the CSV header) and OUTPUT_TRUNC/OUTPUT_RIGHT flags, and nrows rows of
 * ncols cells, row after row in cells. For what is no list of records (a
 * report's computed columns).
 */
struct output_grid {
	size_t		 ncols;
	const char	**titles;
	const int	*flags;
	size_t		 nrows;
	char		**cells;
};

/*
 * Write grid g as out writes a list: for output_csv a header row and the
 * rows; otherwise (output_table) a table with headings on a terminal and
 * plain tab-separated lines without them elsewhere. Returns 0, or -1 when
 * it could not be made or written.
 */
int	output_grid_write(const struct output *out, FILE *,
	    const struct output_grid *g);

#endif
