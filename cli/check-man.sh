#!/bin/sh
# check-man.sh [AUDITORCTL [MANPAGE]]: fail when docs/auditorctl.1 and the
# command tables drift apart. Every "noun verb" that `auditorctl __complete
# commands` lists must have an entry in COMMANDS (a line starting with
# \fBnoun verb\fR) that mentions each of its options, generated from the
# record schemas or not; each choice an option allows (a schema's enum) must
# be named in the noun's section (.SS noun); the man page must not describe
# verbs that do not exist, and every global option must be in GLOBAL
# OPTIONS. The bash completion needs no check: it asks the binary.
set -eu

ctl=${1:-build/auditorctl}
man=${2:-docs/auditorctl.1}

[ -x "$ctl" ] || { echo "check-man: no executable $ctl" >&2; exit 2; }
[ -r "$man" ] || { echo "check-man: cannot read $man" >&2; exit 2; }

# roff spells every '-' of an option as '\-'.
roff() {
	printf '%s\n' "$1" | sed 's/-/\\-/g'
}

# The lines of the entry for "noun verb": its heading up to the next
# command heading, subsection or section. A verb's '-' is '\-' in roff,
# and awk -v reads backslashes as escapes: doubled.
entry() {
	head=$(roff "$1" | sed 's/\\/\\\\/g')
	awk -v head="\\\\fB$head\\\\fR" '
		index($0, head) == 1 { on = 1; print; next }
		on && (/^\\fB[a-z]+ [a-z]+(\\-[a-z]+)*\\fR/ || /^\.S[HS]/) {
			exit
		}
		on { print }
	' "$man"
}

# The lines of the section of a noun: .SS noun up to the next .SS or .SH.
section() {
	awk -v head=".SS $1" '
		$0 == head { on = 1; next }
		on && /^\.S[HS]/ { exit }
		on { print }
	' "$man"
}

commands=$("$ctl" __complete commands)
[ -n "$commands" ] || { echo "check-man: $ctl lists no commands" >&2; exit 2; }

# Each check prints what is wrong; any output fails the run.
errors=$(
	printf '%s\n' "$commands" | while read -r noun verb; do
		text=$(entry "$noun $verb")
		if [ -z "$text" ]; then
			echo "$man does not describe '$noun $verb'"
			continue
		fi
		"$ctl" __complete options "$noun" "$verb" |
		while read -r opt arg; do
			case $opt in
			--json|--csv|--help) continue ;;
			esac
			printf '%s\n' "$text" | grep -qF -- "$(roff "$opt")" ||
			    echo "'$noun $verb' in $man lacks $opt"
			"$ctl" __complete choices "$noun" "$verb" "$opt" |
			while read -r choice; do
				section "$noun" | grep -qwF -- "$(roff "$choice")" ||
				    echo "'.SS $noun' in $man lacks $choice," \
				    "a choice of '$noun $verb $opt'"
			done
		done
	done

	grep -o '^\\fB[a-z]* [a-z\\-]*\\fR' "$man" |
	sed 's/^\\fB//; s/\\fR$//; s/\\-/-/g' | while read -r noun verb; do
		printf '%s\n' "$commands" | grep -qx "$noun $verb" ||
		    echo "$man describes '$noun $verb', which does not exist"
	done

	globals=$(awk '/^\.SH GLOBAL OPTIONS/ { on = 1; next }
	    /^\.SH/ { on = 0 } on' "$man")
	for opt in $("$ctl" __complete options | cut -d' ' -f1); do
		printf '%s\n' "$globals" | grep -qF -- "$(roff "$opt")" ||
		    echo "GLOBAL OPTIONS in $man lacks $opt"
	done
)

if [ -n "$errors" ]; then
	printf '%s\n' "$errors" | sed 's/^/check-man: /' >&2
	exit 1
fi
echo "check-man: $man describes all $(printf '%s\n' "$commands" | wc -l)" \
    "verbs of $ctl"
