// ajv-check.js: the second opinion for ajv-check.sh. Compiles every
// schemas/*.schema.json with ajv 8 (JSON Schema 2020-12, strict mode) and
// prints "<path> valid|invalid" for each JSON file named, as schema_judge does.
//   node ajv-check.js --node-dir DIR --schemas DIR [--type TYPE] FILE...
// DIR/node_modules holds ajv and ajv-formats (see package.json).
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

function usage() {
	process.stderr.write("usage: node ajv-check.js --node-dir DIR " +
	    "--schemas DIR [--type TYPE] [-v] FILE...\n");
	process.exit(2);
}

let nodeDir = null, schemaDir = null, type = null, verbose = false;
const files = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
	const a = args[i];
	if (a === "--node-dir" && i + 1 < args.length)
		nodeDir = args[++i];
	else if (a === "--schemas" && i + 1 < args.length)
		schemaDir = args[++i];
	else if (a === "--type" && i + 1 < args.length)
		type = args[++i];
	else if (a === "-v")
		verbose = true;
	else if (a.startsWith("-"))
		usage();
	else
		files.push(a);
}
if (nodeDir === null || schemaDir === null || files.length === 0)
	usage();

const req = createRequire(path.resolve(nodeDir, "package.json"));
const Ajv2020 = req("ajv/dist/2020").default;
const addFormats = req("ajv-formats").default;

// strict: unknown keywords and formats, ignored keywords, required names
// that are not properties all fail. Union types ("type": ["string", "null"])
// are what the schemas use for nullable fields, so they are allowed.
const ajv = new Ajv2020({ strict: true, allErrors: true,
    allowUnionTypes: true });
addFormats(ajv, { mode: "full", formats: ["date", "date-time"] });

// auditord's own annotations (daemon/schema/schema.h): the list filters and
// the required fields the server fills in. They do not take part in
// validation; the meta-schema holds them to what schema_compile accepts
// (that they name the right properties is schema_compile's check).
for (const keyword of ["x-filters", "x-defaults"])
	ajv.addKeyword({ keyword, schemaType: "array", metaSchema: {
	    type: "array", items: { type: "string" }, uniqueItems: true } });

// ajv-formats also takes "T" as white space and offsets without a colon
// (+0100, +01), which RFC 3339's grammar does not: hold it to the grammar.
const fullDateTime = ajv.formats["date-time"];
const RFC3339 = /^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/;
ajv.addFormat("date-time", {
	type: "string",
	validate: (s) => RFC3339.test(s) && fullDateTime.validate(s),
});

const validators = new Map();
let failed = false;
for (const f of fs.readdirSync(schemaDir).sort()) {
	if (!f.endsWith(".schema.json"))
		continue;
	const t = f.slice(0, -".schema.json".length);
	try {
		const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, f),
		    "utf8"));
		validators.set(t, ajv.compile(schema));
	} catch (e) {
		process.stderr.write(`ajv-check: ${f}: ${e.message}\n`);
		failed = true;
	}
}
if (failed)
	process.exit(1);

function corpusType(p) {
	const parts = p.split("/");
	if (parts.length < 3)
		return null;
	const dir = parts[parts.length - 2];
	if (dir !== "valid" && dir !== "invalid")
		return null;
	return parts[parts.length - 3] || null;
}

let status = 0;
const out = [];
for (const f of files) {
	const t = type !== null ? type : corpusType(f);
	const validate = t !== null ? validators.get(t) : undefined;
	if (validate === undefined) {
		process.stderr.write(`ajv-check: ${f}: no schema for type ` +
		    `${t === null ? "(none: use --type)" : t}\n`);
		out.push(`${f} error`);
		status = 1;
		continue;
	}
	let doc;
	try {
		doc = JSON.parse(fs.readFileSync(f, "utf8"));
	} catch (e) {
		if (verbose)
			process.stderr.write(`${f}: not JSON: ${e.message}\n`);
		out.push(`${f} invalid`);
		continue;
	}
	const ok = validate(doc);
	out.push(`${f} ${ok ? "valid" : "invalid"}`);
	if (!ok && verbose)
		for (const e of validate.errors)
			process.stderr.write(`${f}: ${e.instancePath}: ${e.message}\n`);
}
process.stdout.write(out.join("\n") + "\n");
process.exitCode = status;
