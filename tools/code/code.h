/*
 * tyst-code's subcommands, one file each under tools/code/, and what they
 * share (tools/code/common.c).  tools/tyst-code.c dispatches to them.
 */
#ifndef TYST_TOOLS_CODE_H
#define TYST_TOOLS_CODE_H

#include <stdint.h>

#include "tyst/detect.h"
#include "tyst/diag.h"
#include "tyst/project.h"

#define MAX_ATTRS 64
#define SHOW_HITS 10

struct import_opts {
	const char *case_name;
	const char *keys[MAX_ATTRS], *values[MAX_ATTRS];
	int of_document[MAX_ATTRS];   /* import --doc-attr: not the case's */
	size_t nattrs;
	const char *coder;
	const char *rules_path;
	enum tyst_confidence min;
	int markup;
	int reviewed;
};

int fail(const struct tyst_err *err);
int bad_usage(const char *fmt, const char *arg);
/* Opens the project and starts the command's transaction. */
int open_rw(struct tyst_project **p, const char *path, struct tyst_err *err);
/* Commits, or rolls back when rc says the command failed. */
int finish(struct tyst_project *p, int rc, struct tyst_err *err);
int parse_attr(struct import_opts *o, const char *s);
void free_attrs(struct import_opts *o);
/* Opens the project read-only, the filter's names checked. */
int open_filtered(struct tyst_project **p, const char *path,
    const struct tyst_segfilter *f, struct tyst_err *err);
int open_for_coder(struct tyst_project **p, const char *path,
    const char *coder, struct tyst_err *err);
int print_memo(const struct tyst_pmemo *m, void *ctx);
int sync_codebook(struct tyst_project *p, const char *file, int prune,
    struct tyst_err *err);

struct tyst_table;
/* Prints t with a total column and, when totals is set, a total row. */
void table_print(const struct tyst_table *t, const char *corner,
    int total_col, int totals);

int cmd_init(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_memo(int argc, char **argv);
int cmd_case(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_cooccur(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_import_qdpx(int argc, char **argv);
int cmd_document(int argc, char **argv);

#endif
