# auditord and auditorctl: one plain GNU make.
#   make deps     install missing Debian packages (as root) or print the apt-get line
#   make          build build/auditord and build/auditorctl
#   make run      deps, build, dev certificates, data dir, first admin; start auditord
#   make test     deps, build, unit tests, every fuzz corpus replayed (gcc),
#                 schema cross-check with ajv, API tests, crash tests
#   make crash    tests/crash/: kill -9 under write load CRASH_N [20] times,
#                 a restore drill, erasure and compaction (docs/operations.md)
#   make memcheck the API tests with auditord under valgrind
#   make fuzz     libFuzzer on every tests/fuzz/fuzz_*.c (docs/security.md)
#   make bench    auditord against nginx and lighttpd (docs/benchmarks.md)
#   make bench    deps + BENCH_DEBS, build, loadgen; auditord against nginx and
#                 lighttpd on loopback, printing ratios (docs/benchmarks.md)
#   make bench-competence
#                 status and reports on 10,000 auditors with 1,000,000
#                 trainings (docs/benchmarks.md; not part of test)
#   make bench-check
#                 the team check, candidates and propose on the same
#                 numbers, against their targets (docs/benchmarks.md;
#                 not part of test)
#   make bench-parsers
#                 the request parser against libhttp-parser (architecture.md)
#   make bench-allocs
#                 allocations per keep-alive request (docs/benchmarks.md)
#   make tls-scan sslscan and testssl against auditord (docs/security.md;
#                 not part of test)
#   make install  PREFIX=/usr/local DESTDIR=
#   make uninstall  the same variables: removes what install put in place
#   make clean

PREFIX	?= /usr/local
DESTDIR	?=
CC	?= cc
CFLAGS	?= -O2 -g
B	:= build

WARN	:= -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Werror
PKGS	:= libevent libevent_pthreads jansson inih smartcols
PKGCFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKGLIBS	= $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKGCFLAGS) \
	   -Icommon -Idaemon -Icli -I$(B) -Itests/unit -MMD -MP
LDLIBS	= $(PKGLIBS) -llmdb -lmbedtls -lmbedx509 -lmbedcrypto -lpthread -lm

# Every package the build, the tests and `make run` use.
DEBS	:= gcc make pkg-config libevent-dev liblmdb-dev libmbedtls-dev \
	   libcunit1-dev libjansson-dev libinih-dev libsmartcols-dev curl \
	   openssl json-schema-test-suite lmdb-utils valgrind libxml2-utils \
	   mandoc

COMMON_SRC := $(wildcard common/*.c)
SCHEMA_SRC := $(wildcard daemon/schema/*.c)
DAEMON_SRC := $(filter-out daemon/main.c $(SCHEMA_SRC),$(wildcard daemon/*.c daemon/*/*.c))
CLI_SRC	   := $(filter-out cli/main.c,$(wildcard cli/*.c cli/render/*.c))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
API_SRC	   := $(wildcard tests/api/*.c)
SCHEMAS	   := $(wildcard schemas/*.schema.json)

COMMON_OBJ := $(COMMON_SRC:%.c=$(B)/%.o)
# The validator and the built-in schemas: both programs link them.
SCHEMA_OBJ := $(SCHEMA_SRC:%.c=$(B)/%.o) $(B)/schemas-builtin.o
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(B)/%.o)
CLI_OBJ	   := $(CLI_SRC:%.c=$(B)/%.o)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

# Keep objects make would see as intermediate (test programs' .o files).
.SECONDARY:

.PHONY: all deps run test unit api crash promtool memcheck fuzz fuzz-run fuzz-replay schema-check doc-check layer-check certs install uninstall install-check systemd-check ops-check clean
all: $(B)/auditord $(B)/auditorctl

deps:
	@missing=""; for p in $(DEBS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		    grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		    apt-get install -y -qq --no-install-recommends $$missing; \
	else \
		echo "missing packages; run as root:"; \
		echo "  apt-get install$$missing"; exit 1; \
	fi

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Generated: the record schemas built into the daemon.
$(B)/schemas-builtin.c: $(SCHEMAS) schemas/embed.sh
	@mkdir -p $(B)
	sh schemas/embed.sh $(SCHEMAS) > $@.tmp && mv $@.tmp $@
$(B)/schemas-builtin.o: $(B)/schemas-builtin.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libauditord.a: $(DAEMON_OBJ) $(SCHEMA_OBJ) $(COMMON_OBJ)
	rm -f $@ && ar rcs $@ $^
$(B)/libauditorctl.a: $(CLI_OBJ) $(SCHEMA_OBJ) $(COMMON_OBJ)
	rm -f $@ && ar rcs $@ $^

$(B)/auditord: $(B)/daemon/main.o $(B)/libauditord.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/auditorctl: $(B)/cli/main.o $(B)/libauditorctl.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# One CUnit program per module; each links what it needs from the archives.
$(B)/tests/%: $(B)/tests/unit/%.o $(B)/libauditord.a $(B)/libauditorctl.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcunit
# It links the daemon's archive for its schema validator: answers are held
# to the schemas they promise (verdict, candidates, proposal).
$(B)/tests/test_api: $(API_SRC:%.c=$(B)/%.o) $(B)/libauditord.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcunit

$(B)/tests/schema_judge: $(B)/tests/schema/judge.o $(B)/libauditord.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

certs: certs/dev/ca.crt
certs/dev/ca.crt: certs/mkcerts.sh
	sh certs/mkcerts.sh certs/dev

RUNDIR	:= run
run: deps all certs
	@mkdir -p $(RUNDIR)/data
	@test -f $(RUNDIR)/auditord.conf || sed \
	    -e 's|@CERTS@|$(CURDIR)/certs/dev|' \
	    -e 's|@DATA@|$(CURDIR)/$(RUNDIR)/data|' \
	    systemd/auditord.dev.conf.in > $(RUNDIR)/auditord.conf
	@$(B)/auditord bootstrap -f $(RUNDIR)/auditord.conf --admin admin \
	    --cert certs/dev/admin.crt --if-empty
	@echo
	@echo "auditord on https://127.0.0.1:8443 (stop with ^C). From this tree:"
	@echo "  $(B)/auditorctl me"
	@echo "  $(B)/auditorctl auditor list"
	@echo "  curl --cacert certs/dev/ca.crt --cert certs/dev/admin.crt \\"
	@echo "      --key certs/dev/admin.key https://127.0.0.1:8443/v1/auditors"
	@echo
	exec $(B)/auditord -d -f $(RUNDIR)/auditord.conf

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

schema-check: $(B)/tests/schema_judge
	sh tests/schema/ajv-check.sh $(B)

api: all $(B)/tests/test_api $(B)/tools/promtool
	PROMTOOL=$(B)/tools/promtool $(B)/tests/test_api

# Prometheus' promtool checks /metrics (tests/api/cases_metrics.c). Only that
# binary is taken out of Debian's prometheus package: installing the package
# would set up and start a Prometheus server.
promtool: $(B)/tools/promtool
$(B)/tools/promtool:
	@mkdir -p $(B)/tools/deb
	cd $(B)/tools/deb && (apt-get download prometheus >/dev/null 2>&1 || \
	    { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	    apt-get download prometheus; })
	dpkg-deb -x $(B)/tools/deb/prometheus_*.deb $(B)/tools/deb/x
	cp $(B)/tools/deb/x/usr/bin/promtool $@
	rm -rf $(B)/tools/deb

# kill -9 under write load; every acknowledged write survives.
CRASH_N	?= 20
crash: all
	sh tests/crash/kill-loop.sh $(CRASH_N) $(B)
	sh tests/crash/restore-drill.sh $(B)
	sh tests/crash/erase-canary.sh $(B)
	sh tests/crash/map-full.sh $(B)

# The API suite again with auditord under valgrind (slower; not in `test`).
memcheck: all $(B)/tests/test_api $(B)/tools/promtool
	sh tests/api/memcheck.sh

# libFuzzer harnesses (clang), each run FUZZ_SECONDS on a copy of its corpus.
FUZZ_SECONDS ?= 30
FUZZ_CC	:= clang-14
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	   $(PKGCFLAGS) -Icommon -Idaemon -I$(B)
FUZZ_SRC = $(COMMON_SRC) $(DAEMON_SRC) $(SCHEMA_SRC) $(B)/schemas-builtin.c
FUZZERS	:= $(patsubst tests/fuzz/fuzz_%.c,$(B)/fuzz/fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRC)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRC) $(LDLIBS)
# CSV import is the CLI's: its reader and the schemas, not the daemon.
$(B)/fuzz/fuzz_csv: tests/fuzz/fuzz_csv.c cli/csv.c $(COMMON_SRC) $(SCHEMA_SRC) $(B)/schemas-builtin.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Icli -o $@ $< cli/csv.c $(COMMON_SRC) \
	    $(SCHEMA_SRC) $(B)/schemas-builtin.c $(LDLIBS)

# Inputs up to 128 KiB where size is the point (a body, a file); the
# others keep libFuzzer's default, which follows their corpus.
FUZZ_BIG := schema import csv merge

FUZZ_DEBS := clang-14 libclang-rt-14-dev
fuzz: deps
	@$(MAKE) --no-print-directory deps DEBS="$(FUZZ_DEBS)"
	@$(MAKE) --no-print-directory fuzz-run

fuzz-run: $(FUZZERS)
	@set -e; for f in $(FUZZERS); do n=$${f##*/fuzz_}; \
		rm -rf $(B)/fuzz/corpus-$$n; mkdir -p $(B)/fuzz/corpus-$$n; \
		cp tests/fuzz/corpus/$$n/* $(B)/fuzz/corpus-$$n/; \
		ml=; case " $(FUZZ_BIG) " in *" $$n "*) ml=-max_len=131072;; esac; \
		echo "== fuzz $$n for $(FUZZ_SECONDS) s"; \
		if ! (cd $(B)/fuzz && ./fuzz_$$n -max_total_time=$(FUZZ_SECONDS) \
		    $$ml -print_final_stats=1 corpus-$$n > fuzz-$$n.log 2>&1); then \
			tail -n 40 $(B)/fuzz/fuzz-$$n.log; \
			echo "fuzz $$n: found a crash (input in $(B)/fuzz/)"; exit 1; \
		fi; \
		grep -E '^Done|number_of_executed_runs' $(B)/fuzz/fuzz-$$n.log; \
	done

# Every harness's committed corpus, replayed with gcc (no clang needed):
# each harness linked with tests/fuzz/replay.c and the daemon's archive.
REPLAYS	:= $(patsubst tests/fuzz/fuzz_%.c,$(B)/tests/replay_%,$(wildcard tests/fuzz/fuzz_*.c))
$(B)/tests/replay_%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/replay.o $(B)/libauditord.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The CSV harness drives the CLI's reader and writer.
$(B)/tests/replay_csv: $(B)/tests/fuzz/fuzz_csv.o $(B)/tests/fuzz/replay.o $(B)/cli/csv.o $(B)/libauditord.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

fuzz-replay: $(REPLAYS)
	@set -e; for r in $(REPLAYS); do n=$${r##*/replay_}; \
		echo "== replay $$n"; $$r tests/fuzz/corpus/$$n; done

# The man page and completion must list every verb the CLI's tables hold.
doc-check: $(B)/auditorctl
	sh cli/check-man.sh $(B)/auditorctl docs/auditorctl.1
	mandoc -T lint docs/auditorctl.1 docs/auditord.8 docs/auditord.conf.5

# The daemon's layers point one way (docs/architecture.md).
layer-check:
	sh daemon/check-layers.sh

# The daemon under signals and load, -n, socket activation; every example
# of the man pages run as written.
ops-check: all
	sh tests/ops/signals.sh $(B)
	sh tests/ops/man-examples.sh $(B)

test: deps all layer-check unit fuzz-replay schema-check doc-check systemd-check install-check api crash ops-check

# The benchmark: its peers and its load generator (tests/bench/).
BENCH_DEBS := nginx lighttpd lighttpd-mod-mbedtls openssl curl iproute2
$(B)/tests/bench/loadgen: $(B)/tests/bench/loadgen.o $(COMMON_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The TLS scan: sslscan and testssl against a running auditord
# (tests/security/tls-scan.sh; minutes, so not part of test).
TLS_SCAN_DEBS := sslscan testssl.sh curl openssl iproute2 python3
.PHONY: tls-scan
tls-scan: deps all
	@$(MAKE) --no-print-directory deps DEBS="$(TLS_SCAN_DEBS)"
	sh tests/security/tls-scan.sh $(B)

.PHONY: bench
bench: deps all $(B)/tests/bench/loadgen
	@$(MAKE) --no-print-directory deps DEBS="$(BENCH_DEBS)"
	sh tests/bench/run.sh $(B)

# The parser choice (docs/architecture.md): h1.c against libhttp-parser.
PARSER_DEBS := libhttp-parser-dev
$(B)/tests/bench/parsers: tests/bench/parsers.c daemon/server/h1.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ tests/bench/parsers.c daemon/server/h1.c \
	    -lhttp_parser
.PHONY: bench-parsers
bench-parsers: deps
	@$(MAKE) --no-print-directory deps DEBS="$(PARSER_DEBS)"
	@$(MAKE) --no-print-directory $(B)/tests/bench/parsers
	$(B)/tests/bench/parsers

# Allocations per keep-alive request, under a counting allocator.
$(B)/tests/bench/malloc-count.so: tests/bench/malloc-count.c
	@mkdir -p $(@D)
	$(CC) -O2 -shared -fPIC -o $@ $< -ldl
.PHONY: bench-allocs
bench-allocs: all $(B)/tests/bench/loadgen $(B)/tests/bench/malloc-count.so
	sh tests/bench/allocs.sh $(B)

# The competence benchmark: a generated store, status and reports timed.
$(B)/tests/bench/competence: $(B)/tests/bench/competence.o $(B)/libauditord.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.PHONY: bench-competence
bench-competence: all $(B)/tests/bench/competence
	sh tests/bench/competence.sh $(B)

# The team check benchmark: a generated store with audits and teams.
$(B)/tests/bench/check: $(B)/tests/bench/check.o $(B)/libauditord.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.PHONY: bench-check
bench-check: $(B)/tests/bench/check
	sh tests/bench/check.sh $(B)

# Debian's paths. Units, sysusers.d and tmpfiles.d go under $(PREFIX)/lib:
# with PREFIX=/usr that is /usr/lib/systemd/system, systemd's directory for
# packaged units, the same directory as /lib/systemd/system on a merged /usr
# (required since bookworm) and the one trixie's packages use; systemd
# also reads /usr/local/lib/... for the default PREFIX. The configuration
# is under /etc whatever PREFIX is, since the unit names it there.
SYSCONFDIR ?= /etc
UNITDIR	= $(PREFIX)/lib/systemd/system
SYSUSERSDIR = $(PREFIX)/lib/sysusers.d
TMPFILESDIR = $(PREFIX)/lib/tmpfiles.d
DOCDIR	= $(PREFIX)/share/doc/auditord
MANDIR	= $(PREFIX)/share/man
COMPDIR	= $(PREFIX)/share/bash-completion/completions
# Every file install puts in place but the configuration (below), under
# DESTDIR: uninstall removes exactly these.
INSTALLED = $(PREFIX)/sbin/auditord $(PREFIX)/bin/auditorctl \
	   $(UNITDIR)/auditord.service $(UNITDIR)/auditord.socket \
	   $(SYSUSERSDIR)/auditord.conf $(TMPFILESDIR)/auditord.conf \
	   $(DOCDIR)/examples/auditord.conf $(DOCDIR)/operations.md \
	   $(MANDIR)/man1/auditorctl.1 $(MANDIR)/man5/auditord.conf.5 \
	   $(MANDIR)/man8/auditord.8 $(COMPDIR)/auditorctl

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	    $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(DOCDIR)/examples \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(COMPDIR)
	install -m 755 $(B)/auditord $(DESTDIR)$(PREFIX)/sbin/auditord
	install -m 755 $(B)/auditorctl $(DESTDIR)$(PREFIX)/bin/auditorctl
	sed 's|/usr/sbin/auditord|$(PREFIX)/sbin/auditord|g; s|/etc/auditord|$(SYSCONFDIR)/auditord|g' \
	    systemd/auditord.service > $(DESTDIR)$(UNITDIR)/auditord.service
	chmod 644 $(DESTDIR)$(UNITDIR)/auditord.service
	install -m 644 systemd/auditord.socket $(DESTDIR)$(UNITDIR)/
	install -m 644 systemd/auditord.sysusers $(DESTDIR)$(SYSUSERSDIR)/auditord.conf
	install -m 644 systemd/auditord.tmpfiles $(DESTDIR)$(TMPFILESDIR)/auditord.conf
	install -m 644 systemd/auditord.conf $(DESTDIR)$(DOCDIR)/examples/
	install -m 644 docs/operations.md $(DESTDIR)$(DOCDIR)/
	install -m 644 docs/auditorctl.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 docs/auditord.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 docs/auditord.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 644 cli/auditorctl.bash-completion $(DESTDIR)$(COMPDIR)/auditorctl
	@# The operator's configuration: made from the example only if absent.
	install -d $(DESTDIR)$(SYSCONFDIR)/auditord
	test -e $(DESTDIR)$(SYSCONFDIR)/auditord/auditord.conf || \
	    install -m 644 systemd/auditord.conf $(DESTDIR)$(SYSCONFDIR)/auditord/

# What install put in place, and nothing else: the configuration goes only
# while it is the example unchanged (an edited one is the operator's), and
# the store, keys and certificates are never touched.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	if cmp -s systemd/auditord.conf $(DESTDIR)$(SYSCONFDIR)/auditord/auditord.conf; \
	then rm -f $(DESTDIR)$(SYSCONFDIR)/auditord/auditord.conf; fi
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) \
	    $(DESTDIR)$(SYSCONFDIR)/auditord 2>/dev/null

# install then uninstall into a scratch DESTDIR: nothing may be left.
install-check: all
	sh tests/ops/install-check.sh

# The unit's hardening (docs/operations.md): systemd-analyze comes with
# Debian's systemd package; where it cannot be installed the check says so.
SYSTEMD_DEBS := systemd
systemd-check:
	-@command -v systemd-analyze >/dev/null 2>&1 || \
	    $(MAKE) --no-print-directory deps DEBS="$(SYSTEMD_DEBS)"
	@if command -v systemd-analyze >/dev/null 2>&1; then \
		systemd-analyze security --offline=yes --threshold=20 \
		    systemd/auditord.service | tail -n 1 && \
		systemd-analyze security --offline=yes --threshold=20 \
		    systemd/auditord.service > /dev/null; \
	else echo "systemd-check: skipped, no systemd-analyze (apt-get install systemd)"; fi

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
