/*
 * levels.h: AREA:LEVEL options (an evaluation's --assessed, an audit's
 * --require): a repeatable option whose values make a list of
 * {"area", "level"} objects, the levels being those the noun's built-in
 * schema allows at properties.FIELD.items.properties.level.
 */
#ifndef LEVELS_H
#define LEVELS_H

#include <jansson.h>

#include "cmd.h"

/*
 * Set body's field from every value of option opt: the whole list, or
 * null for a single '' when patch (edit). Nothing when opt was not given.
 * Returns 0, or CMD_USAGE after a message (not AREA:LEVEL, a bad area id,
 * a level the schema does not allow, an area twice).
 */
int	levels_fill(json_t *body, const struct cmd_args *, int patch,
	    const char *opt, const char *field);

#endif
