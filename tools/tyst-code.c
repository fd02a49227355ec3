/*
 * tyst-code — a coding project: import pseudonymised transcripts, code
 * segments by lines, by a pattern or by inline markup, and look at them.
 *
 * Each command runs in one transaction (BEGIN IMMEDIATE): it changes the
 * project whole or, on any error, not at all.
 */
#include <stdio.h>
#include <string.h>

#include "code/code.h"

static void
usage(FILE *f)
{
	fputs(
"usage: tyst-code init PROJECT.db --codebook FILE.yaml\n"
"       tyst-code codebook-sync PROJECT.db FILE.yaml [--prune]\n"
"       tyst-code import PROJECT.db [--case NAME] [--attr K=V]...\n"
"                 [--doc-attr K=V]...\n"
"                 [--markup --coder NAME] [--i-have-reviewed] [--rules FILE]\n"
"                 [--confidence certain|likely|candidate] FILE...\n"
"       tyst-code add PROJECT.db DOC --code ID --coder NAME [--memo TEXT]\n"
"                 (--lines A-B | --match REGEX [--unit turn|sentence|paragraph] [-i])\n"
"       tyst-code add PROJECT.db (--all | --case NAME | --attr K=V...)\n"
"                 --code ID --coder NAME --match REGEX [--unit U] [-i]\n"
"       tyst-code add PROJECT.db --batch FILE\n"
"       tyst-code list PROJECT.db [segments|documents|codes|coders|cases|memos|\n"
"                 annotations|journals]\n"
"                 [--code ID] [--document DOC] [--coder NAME] [--format text|jsonl]\n"
"       tyst-code rm PROJECT.db SEGMENT-ID...\n"
"       tyst-code memo PROJECT.db (--document DOC | --code ID | --segment N)\n"
"                 [--coder NAME] [TEXT]\n"
"       tyst-code case PROJECT.db NAME [--attr K=V]...\n"
"       tyst-code document PROJECT.db DOC [--attr K=V]...\n"
"       tyst-code stats PROJECT.db [--coder NAME]\n"
"       tyst-code cooccur PROJECT.db [--coder NAME] [--by segment|document]\n"
"       tyst-code merge TARGET.db OTHER.db...\n"
"       tyst-code import-qdpx PROJECT.db FILE.qdpx [--i-have-reviewed]\n"
"\n"
"Keeps a qualitative coding project in one SQLite file (man tyst-code).\n"
"A document is named by its file name without extension.  Import refuses a\n"
"document in which the identifier scan finds something, unless tyst-pseudo\n"
"wrote it (its manifest lists the file) or --i-have-reviewed is given.\n"
"Markup: {code-id}…{/code-id} around a passage, nesting and overlap\n"
"allowed, {{ for a literal brace.\n"
"\n"
"Exit status: 0 success, 1 nothing matched (add --match), 2 error (the\n"
"project is then unchanged).\n", f);
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "init", cmd_init },
		{ "codebook-sync", cmd_sync },
		{ "import", cmd_import },
		{ "add", cmd_add },
		{ "list", cmd_list },
		{ "rm", cmd_rm },
		{ "memo", cmd_memo },
		{ "case", cmd_case },
		{ "document", cmd_document },
		{ "stats", cmd_stats },
		{ "cooccur", cmd_cooccur },
		{ "merge", cmd_merge },
		{ "import-qdpx", cmd_import_qdpx },
	};

	tyst_diag_init(argv[0]);
	if (argc < 2) {
		usage(stderr);
		return TYST_EXIT_ERROR;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return TYST_EXIT_OK;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("tyst-code %s\n", TYST_VERSION);
		return TYST_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name) != 0)
			continue;
		if (argc > 2 && (strcmp(argv[2], "--help") == 0 ||
		    strcmp(argv[2], "-h") == 0)) {
			usage(stdout);
			return TYST_EXIT_OK;
		}
		return cmds[i].fn(argc - 1, argv + 1);
	}
	return bad_usage("unknown command '%s'", argv[1]);
}
