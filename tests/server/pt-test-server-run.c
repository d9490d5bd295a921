/* pt-test-server-run.c: the server tests' district server (a throwaway
 * PostgreSQL, a private CA, paotuan-server on loopback TLS; pt-test-env.c)
 * for the application's AT-SPI tests, which are Python.
 *
 * Prints one line of JSON, {"url", "ca", "root"}, once the server listens;
 * then answers one line for each command read on stdin:
 *   code UNIT DESK   the one-time enrollment code of a new desk
 *   stop             stops the server (the database stays)
 *   start            starts it again on the same port, answers once it listens
 *   revoke DEVICE    revokes a device's token
 * At the end of stdin everything stops and is removed. Exits 77 without
 * PostgreSQL. */
#include <stdio.h>
#include <string.h>

#include "pt-test-env.h"

static void
answer (const char *text)
{
  printf ("%s\n", text);
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  PtTestEnv *env = pt_test_env_new (NULL);
  char line[1024];

  if (env == NULL)
    return 77;
  {
    g_autofree char *json = g_strdup_printf ("{\"url\": \"%s\", \"ca\": \"%s\", \"root\": \"%s\"}",
                                             env->url, env->ca_pem, env->root);
    answer (json);
  }
  while (fgets (line, sizeof line, stdin) != NULL)
    {
      g_auto(GStrv) words = g_strsplit (g_strstrip (line), " ", 3);

      if (g_strcmp0 (words[0], "code") == 0 && words[1] != NULL && words[2] != NULL)
        {
          g_autofree char *code = pt_test_env_enroll_code (env, words[1], words[2]);
          answer (code);
        }
      else if (g_strcmp0 (words[0], "stop") == 0)
        {
          pt_test_env_stop (env, FALSE);
          answer ("ok");
        }
      else if (g_strcmp0 (words[0], "start") == 0)
        {
          if (env->server == NULL)
            pt_test_env_start (env);
          answer ("ok");
        }
      else if (g_strcmp0 (words[0], "revoke") == 0 && words[1] != NULL)
        {
          const char *args[] = { "revoke", "--device", words[1], NULL };
          answer (pt_test_env_server_cli (env, args, NULL, NULL, NULL) == 0 ? "ok" : "failed");
        }
      else
        answer ("unknown command");
    }
  pt_test_env_free (env);
  return 0;
}
