/* ptctl.h: what the paotuanctl commands share. */
#pragma once

#include <glib.h>

#include "pt-reference.h"
#include "pt-store.h"

G_BEGIN_DECLS

/* Exit codes: 0 success; 1 the answer is "no" or the input is invalid;
 * 2 usage errors (unknown command or option, missing argument). */
enum {
  PTCTL_EXIT_OK = 0,
  PTCTL_EXIT_NO = 1,
  PTCTL_EXIT_USAGE = 2,
};

typedef struct {
  char        *db_path;     /* --db, or the default in the user's data directory */
  PtReference *reference;   /* loaded on first use */
  PtStore     *store;       /* opened on first use */
} PtctlContext;

typedef int (*PtctlCommandFunc) (PtctlContext *ctx,
                                 int           argc,
                                 char        **argv);

/* Parses @entries from argv (after the command words) with --db and --help;
 * prints usage and returns FALSE (with *exit_code set) on --help or error. */
gboolean      ptctl_parse          (PtctlContext  *ctx,
                                    const char    *usage,
                                    const char    *summary,
                                    GOptionEntry  *entries,
                                    int           *argc,
                                    char        ***argv,
                                    int           *exit_code);
PtReference  *ptctl_reference      (PtctlContext  *ctx,
                                    GError       **error);
/* Opens the database at --db; it must exist unless @create. */
PtStore      *ptctl_store          (PtctlContext  *ctx,
                                    gboolean       create,
                                    GError       **error);
char         *ptctl_default_db     (void);
/* Prints the error on stderr and returns the exit code it means. */
int           ptctl_fail           (GError        *error);
int           ptctl_usage_error    (const char    *message);
/* Warns on stderr when a count from @from to @to (dates) ran into a year
 * without a holiday table: the date is provisional (the command still
 * succeeds). Nothing when every year has its table. */
void          ptctl_warn_provisional (PtCalendar  *calendar,
                                      const char  *from,
                                      const char  *to);
/* Reads a whole file, or standard input for "-". */
char         *ptctl_read_input     (const char    *path,
                                    GError       **error);

/* The commands, one file each. */
int ptctl_init       (PtctlContext *ctx, int argc, char **argv);
int ptctl_validate   (PtctlContext *ctx, int argc, char **argv);
int ptctl_workdays   (PtctlContext *ctx, int argc, char **argv);
int ptctl_catalog    (PtctlContext *ctx, int argc, char **argv);
int ptctl_case       (PtctlContext *ctx, int argc, char **argv);
int ptctl_rebuild    (PtctlContext *ctx, int argc, char **argv);
int ptctl_backup     (PtctlContext *ctx, int argc, char **argv);
int ptctl_restore    (PtctlContext *ctx, int argc, char **argv);
int ptctl_check      (PtctlContext *ctx, int argc, char **argv);
int ptctl_runners    (PtctlContext *ctx, int argc, char **argv);   /* ptctl-district.c */
int ptctl_units      (PtctlContext *ctx, int argc, char **argv);   /* ptctl-district.c */
int ptctl_doc        (PtctlContext *ctx, int argc, char **argv);   /* ptctl-doc.c, documents */
int ptctl_sync       (PtctlContext *ctx, int argc, char **argv);   /* ptctl-sync.c, sync */
int ptctl_enroll     (PtctlContext *ctx, int argc, char **argv);   /* ptctl-sync.c, sync */

G_END_DECLS
