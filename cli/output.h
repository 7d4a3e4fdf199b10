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
 * One CSV field per RFC 4180: quoted when it holds a comma, a double quote,
 * CR or LF (quotes doubled), as is otherwise. Malloc'd; NULL if out of
 * memory.
 */
char	*output_csv_quote(const char *);

#endif
