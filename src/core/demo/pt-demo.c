/* pt-demo.c: the demo district. */
#define G_LOG_DOMAIN "paotuan-demo"

#include <glib/gi18n-lib.h>

#include "pt-calendar.h"
#include "pt-demo.h"
#include "pt-mail.h"
#include "pt-error.h"
#include "pt-json.h"
#include "pt-reference.h"
#include "pt-roster.h"
#include "pt-store-runners.h"
#include "pt-uuid.h"
#include "pt-validate.h"

static const char * const surnames[] = {
  "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
  "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
  "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
  "翟", "毕", "孟", "岳", "亓", "司马", "欧阳",
};
static const char * const given_chars[] = {
  "桂兰", "秀英", "玉梅", "凤英", "建国", "建华", "志强", "国庆", "海燕", "丽", "静", "敏", "伟", "强",
  "磊", "洋", "勇", "军", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "文", "华",
  "红", "春梅", "德胜", "守义", "立新", "学文", "振华", "宝山", "金凤", "淑珍", "瑞", "鑫", "子涵",
  "浩宇", "梓萱", "一诺", "博文", "雨桐", "晨", "昊", "欣怡", "淑华", "长青", "庆华", "玉兰",
};
static const char * const firm_words[] = {
  "宏达", "鲁信", "博陶", "颜山", "琉璃", "泰和", "恒昌", "华圣", "金晶", "鑫源", "山川", "孝妇河",
  "岳阳", "凤凰", "同泰", "德盛", "瑞丰", "汇通", "永固", "中博",
};
static const char * const firm_trades[] = {
  "陶瓷", "琉璃工艺品", "机械制造", "泵业", "新材料", "耐火材料", "食品", "电子科技", "建筑安装",
  "农业开发", "文化旅游", "物流", "医疗器械", "化工",
};
static const char * const streets[] = {
  "中心路", "新建路", "人民路", "大街", "福门街", "峨眉山路", "白塔路", "沿河路", "北岭路", "和平路",
};

struct _PtDemo {
  PtStore     *store;
  PtReference *reference;
  GRand       *rand;
  char        *today;
  gboolean     history;
  GPtrArray   *units[3];     /* const PtUnit * taking cases, per level */
  GPtrArray   *items[3];     /* const PtCatalogItem *, per level */
  GHashTable  *runners;      /* unit code -> GPtrArray of on-duty runner ids */
  GHashTable  *numbers;      /* "unit day" -> last sequence */
  guint        n_running;    /* cases in progress so far: pick_due () */
};

static int
rand_int (PtDemo *demo,
          int     lo,
          int     hi)
{
  return g_rand_int_range (demo->rand, lo, hi + 1);
}

static gboolean
chance (PtDemo *demo,
        double  p)
{
  return g_rand_double (demo->rand) < p;
}

#define PICK(demo, array) (array[g_rand_int_range ((demo)->rand, 0, G_N_ELEMENTS (array))])

static char *
person_name (PtDemo *demo)
{
  return g_strconcat (PICK (demo, surnames), PICK (demo, given_chars), NULL);
}

static char *
mobile (PtDemo *demo)
{
  static const char * const prefixes[] = { "133", "135", "137", "138", "139", "150", "153", "158", "166", "176", "187", "189" };
  return g_strdup_printf ("%s%08d", PICK (demo, prefixes), rand_int (demo, 0, 99999999));
}

static char *
id_number (PtDemo *demo,
           int     birth_year)
{
  char first[18];

  g_snprintf (first, sizeof first, "370304%04d%02d%02d%03d",
              birth_year, rand_int (demo, 1, 12), rand_int (demo, 1, 28), rand_int (demo, 1, 999));
  return g_strdup_printf ("%s%c", first, pt_id_number_check_char (first));
}

static char *
uscc (PtDemo *demo)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  char first[18];

  memcpy (first, "91370304", 8);
  for (int i = 8; i < 17; i++)
    first[i] = alphabet[rand_int (demo, 0, i < 10 ? 9 : 30)];
  first[17] = '\0';
  return g_strdup_printf ("%s%c", first, pt_uscc_check_char (first));
}

PtDemo *
pt_demo_new (PtStore             *store,
             const PtDemoOptions *options)
{
  PtDemo *demo = g_new0 (PtDemo, 1);
  PtDistrict *district;
  PtCatalog *catalog;

  demo->store = store;
  demo->reference = pt_store_get_reference (store);
  demo->rand = g_rand_new_with_seed (options->seed);
  demo->today = pt_demo_today (options->today);
  demo->history = options->history;
  demo->runners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  demo->numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  district = demo->reference->district;
  catalog = demo->reference->catalog;
  for (int l = 0; l < 3; l++)
    {
      demo->units[l] = g_ptr_array_new ();
      demo->items[l] = g_ptr_array_new ();
    }
  for (guint i = 0; i < pt_district_get_n_units (district); i++)
    {
      const PtUnit *unit = pt_district_get_unit (district, i);
      if (unit->kind != PT_UNIT_DEPARTMENT)
        g_ptr_array_add (demo->units[unit->level], (gpointer) unit);
    }
  for (guint i = 0; i < pt_catalog_get_n_items (catalog); i++)
    {
      const PtCatalogItem *item = pt_catalog_get_item (catalog, i);
      g_ptr_array_add (demo->items[item->level], (gpointer) item);
    }
  return demo;
}

void
pt_demo_free (PtDemo *demo)
{
  if (demo == NULL)
    return;
  g_rand_free (demo->rand);
  g_free (demo->today);
  for (int l = 0; l < 3; l++)
    {
      g_ptr_array_unref (demo->units[l]);
      g_ptr_array_unref (demo->items[l]);
    }
  g_hash_table_unref (demo->runners);
  g_hash_table_unref (demo->numbers);
  g_free (demo);
}

char *
pt_demo_today (const char *today)
{
  const char *fixed = g_getenv ("PT_TODAY");

  if (today != NULL)
    return g_strdup (today);
  if (fixed != NULL && *fixed != '\0')
    return g_strdup (fixed);
  return pt_date_today ();
}

/* The demo district's roster, data/demo/runners.json, the same file that
 * `paotuan-server runners import` puts on a demo server, so that a demo
 * district syncs with every runner's name. It has the seed's team sizes (a
 * district department 1, a town 2, a village 2), one community one short,
 * which the Runners page must flag, and two runners off duty. */
gboolean
pt_demo_add_runners (PtDemo  *demo,
                     GError **error)
{
  g_autofree char *path = pt_reference_find_file (demo->reference, "demo/runners.json");
  g_autoptr(GPtrArray) runners = NULL;

  if (path == NULL)
    {
      g_set_error_literal (error, PT_ERROR, PT_ERROR_DATA,
                           _("The demo roster demo/runners.json is in none of the data folders: "
                             "reinstall Paotuan, or set PAOTUAN_DATA_DIR to its data folder."));
      return FALSE;
    }
  runners = pt_roster_load_file (path, demo->reference->district, error);
  if (runners == NULL || !pt_store_replace_roster (demo->store, runners, NULL, error))
    return FALSE;

  g_hash_table_remove_all (demo->runners);
  for (guint i = 0; i < runners->len; i++)
    {
      const PtRunner *runner = g_ptr_array_index (runners, i);
      GPtrArray *ids;

      if (!runner->active)
        continue;
      ids = g_hash_table_lookup (demo->runners, runner->unit);
      if (ids == NULL)
        {
          ids = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (demo->runners, g_strdup (runner->unit), ids);
        }
      g_ptr_array_add (ids, g_strdup (runner->id));
    }

  /* The desk's runner works for the desk's unit (pt_store_check_desk ()). */
  {
    g_autofree char *unit = pt_store_get_meta (demo->store, "unit");
    GPtrArray *ids = unit ? g_hash_table_lookup (demo->runners, unit) : NULL;

    return pt_store_set_meta (demo->store, "runner",
                              ids != NULL && ids->len > 0 ? g_ptr_array_index (ids, 0) : "R-0001", error);
  }
}

/* ---- one case ------------------------------------------------------- */

typedef struct {
  PtDemo    *demo;
  GPtrArray *events;
  char      *case_id;
  GDate      date;
  int        minute;
  char      *author;
  GDate      today;      /* nothing happens after it */
} CaseBuilder;

static gint64
stamp_of (CaseBuilder *b)
{
  GDateTime *utc;
  gint64 ms;

  /* 09:00 China Standard Time is 01:00 UTC; events step through the day. */
  utc = g_date_time_new_utc (g_date_get_year (&b->date), g_date_get_month (&b->date),
                             g_date_get_day (&b->date), 1, 0, 0);
  ms = g_date_time_to_unix (utc) * 1000 + (gint64) b->minute * 60000;
  g_date_time_unref (utc);
  return ms;
}

static void
emit (CaseBuilder *b,
      PtEventType  type,
      JsonObject  *payload)
{
  PtStamp stamp;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) owned = payload;

  b->minute += rand_int (b->demo, 3, 40);
  stamp.wall = stamp_of (b);
  stamp.counter = 0;
  id = pt_uuid7_new_at (stamp.wall);
  g_ptr_array_add (b->events, pt_event_new (id, b->case_id, &stamp, pt_store_get_device_id (b->demo->store),
                                            b->author, type, owned));
}

/* Moves the builder's date on by @n working days (at least one day), never
 * past today: a demo made today has nothing that happens tomorrow. */
static void
advance (CaseBuilder *b,
         guint        n)
{
  g_autofree char *from = pt_date_format (&b->date);
  g_autofree char *to = pt_calendar_add_working_days (b->demo->reference->calendar, from, MAX (n, 1), NULL);
  GDate *next;

  if (to == NULL)
    g_date_add_days (&b->date, n);
  else
    {
      next = pt_date_parse (to, NULL);
      b->date = *next;
      g_date_free (next);
    }
  if (g_date_compare (&b->date, &b->today) > 0)
    b->date = b->today;
  b->minute = rand_int (b->demo, 0, 60);
}

/* Moves the builder to @date, a day that comes after its current one. */
static void
move_to (CaseBuilder *b,
         const GDate *date)
{
  if (g_date_compare (date, &b->date) > 0)
    {
      b->date = *date;
      b->minute = rand_int (b->demo, 0, 60);
    }
}

static gboolean
is_working_day (PtDemo      *demo,
                const GDate *date)
{
  g_autofree char *text = pt_date_format (date);
  gboolean working = g_date_get_weekday (date) < G_DATE_SATURDAY;

  pt_calendar_is_working_day (demo->reference->calendar, text, &working, NULL);
  return working;
}

/* The working day @n working days after @date (@n 0: @date itself). */
static GDate
working_days_after (PtDemo      *demo,
                    const GDate *date,
                    guint        n)
{
  GDate day = *date;

  while (n > 0)
    {
      g_date_add_days (&day, 1);
      if (is_working_day (demo, &day))
        n--;
    }
  return day;
}

/* The working day from which @date is @n working days on: the day a step
 * is submitted for its limit to end on @date. */
static GDate
working_days_before (PtDemo      *demo,
                     const GDate *date,
                     guint        n)
{
  GDate day = *date;

  while (n > 0)
    {
      if (is_working_day (demo, &day))
        n--;
      g_date_subtract_days (&day, 1);
    }
  while (!is_working_day (demo, &day))
    g_date_subtract_days (&day, 1);
  return day;
}

/* When a case in progress was submitted, returned and resumed, so that its
 * due date falls where the demo wants it relative to today: a few overdue
 * by some working days, some due within the next three working days (the
 * Today page's due-soon group), most later. A time limit of a day or two
 * leaves no room for "later": such a case is due soon. */
typedef struct {
  GDate    submitted;
  gboolean returned;
  GDate    returned_on;
  GDate    resumed_on;
} Running;

typedef enum {
  DUE_OVERDUE,   /* 1 to 6 working days ago */
  DUE_SOON,      /* today or within the next three working days */
  DUE_LATER,
} Due;

/* In turn rather than by chance, so that a demo of any seed has its few
 * overdue cases and its due-soon ones: one in ten overdue, two due soon,
 * seven later. */
static Due
pick_due (PtDemo *demo)
{
  static const Due pattern[] = {
    DUE_LATER, DUE_SOON, DUE_LATER, DUE_LATER, DUE_OVERDUE,
    DUE_LATER, DUE_LATER, DUE_SOON, DUE_LATER, DUE_LATER,
  };

  return pattern[demo->n_running++ % G_N_ELEMENTS (pattern)];
}

static Running
plan_running (PtDemo      *demo,
              const GDate *today,
              guint        limit,
              Due          when,
              gboolean     returned)
{
  Running run = { { 0 }, returned, { 0 }, { 0 } };
  guint paused = returned ? (guint) rand_int (demo, 1, 4) : 0;
  int offset;
  GDate due;

  limit = MAX (limit, 1);
  if (when == DUE_OVERDUE)
    offset = -rand_int (demo, 1, 6);
  else if (when == DUE_SOON)
    offset = rand_int (demo, 0, 3);
  else
    offset = rand_int (demo, 4, MAX (4, (int) limit - 1));
  /* Submitted a working day ago at the latest. */
  offset = MIN (offset, (int) limit - 1);

  due = offset < 0 ? working_days_before (demo, today, (guint) -offset)
                   : working_days_after (demo, today, (guint) offset);
  run.submitted = working_days_before (demo, &due, limit + paused);
  if (returned)
    {
      guint room = (guint) ((int) limit - offset);
      guint after = (guint) rand_int (demo, 1, (int) MIN (3, room));

      run.returned_on = working_days_after (demo, &run.submitted, after);
      run.resumed_on = working_days_after (demo, &run.returned_on, paused);
    }
  return run;
}

static JsonObject *
obj (void)
{
  return json_object_new ();
}

typedef enum {
  GOAL_ACCEPTED, GOAL_AGREED, GOAL_ASSIGNED, GOAL_PLANNED, GOAL_IN_PROGRESS, GOAL_RETURNED,
  GOAL_SUSPENDED, GOAL_DELIVERED, GOAL_TERMINATED,
} Goal;

static Goal
pick_goal (PtDemo *demo,
           double  age)
{
  double r = g_rand_double (demo->rand);

  if (demo->history)
    {
      /* Years of a district: nearly everything old is finished. */
      if (age > 0.05)
        return r < 0.88 ? GOAL_DELIVERED : GOAL_TERMINATED;
      r = g_rand_double (demo->rand);
    }
  if (age > 0.6)
    return r < 0.75 ? GOAL_DELIVERED : r < 0.92 ? GOAL_TERMINATED : GOAL_SUSPENDED;
  if (r < 0.08) return GOAL_ACCEPTED;
  if (r < 0.14) return GOAL_AGREED;
  if (r < 0.20) return GOAL_ASSIGNED;
  if (r < 0.26) return GOAL_PLANNED;
  if (r < 0.50) return GOAL_IN_PROGRESS;
  if (r < 0.60) return GOAL_RETURNED;
  if (r < 0.66) return GOAL_SUSPENDED;
  if (r < 0.92) return GOAL_DELIVERED;
  return GOAL_TERMINATED;
}

static JsonObject *
make_applicant (PtDemo       *demo,
                const PtUnit *unit,
                gboolean      enterprise,
                char        **vulnerable_out)
{
  JsonObject *a = obj ();
  g_autofree char *phone = mobile (demo);
  const char *place = unit->short_name ? unit->short_name : unit->name;
  g_autofree char *address = NULL;
  const char *vulnerable = "none";

  if (unit->level == PT_LEVEL_VILLAGE)
    address = g_strdup_printf ("山东省淄博市博山区%s%d号", place, rand_int (demo, 1, 180));
  else
    address = g_strdup_printf ("山东省淄博市博山区%s%d号", PICK (demo, streets), rand_int (demo, 1, 300));

  if (enterprise)
    {
      g_autofree char *name = g_strdup_printf ("淄博%s%s有限公司", PICK (demo, firm_words), PICK (demo, firm_trades));
      g_autofree char *code = uscc (demo);
      g_autofree char *legal = person_name (demo);
      json_object_set_string_member (a, "kind", "enterprise");
      json_object_set_string_member (a, "name", name);
      json_object_set_string_member (a, "uscc", code);
      json_object_set_string_member (a, "legal_representative", legal);
    }
  else
    {
      int year = rand_int (demo, 1938, 2004);
      g_autofree char *name = person_name (demo);
      g_autofree char *id = id_number (demo, year);
      json_object_set_string_member (a, "kind", "person");
      json_object_set_string_member (a, "name", name);
      json_object_set_string_member (a, "id_number", id);
      if (year < 1960 && chance (demo, 0.7))
        vulnerable = "elderly";
      else if (chance (demo, 0.05))
        vulnerable = "disabled";
      else if (chance (demo, 0.03))
        vulnerable = "sick";
      else if (year > 1990 && chance (demo, 0.05))
        vulnerable = "pregnant";
    }
  json_object_set_string_member (a, "phone", phone);
  json_object_set_string_member (a, "address", address);
  json_object_set_string_member (a, "vulnerable", vulnerable);
  *vulnerable_out = g_strdup (vulnerable);
  return a;
}

static const char *
pick_runner (PtDemo     *demo,
             const char *unit)
{
  GPtrArray *ids = g_hash_table_lookup (demo->runners, unit);

  if (ids == NULL || ids->len == 0)
    ids = g_hash_table_lookup (demo->runners, "370304");
  if (ids == NULL || ids->len == 0)
    return NULL;
  return g_ptr_array_index (ids, rand_int (demo, 0, ids->len - 1));
}

static char *
case_number (PtDemo     *demo,
             const char *unit,
             const GDate *date)
{
  char day[9];
  g_autofree char *key = NULL;
  guint last;

  g_snprintf (day, sizeof day, "%04d%02d%02d", g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));
  key = g_strdup_printf ("%s %s", unit, day);
  last = GPOINTER_TO_UINT (g_hash_table_lookup (demo->numbers, key)) + 1;
  g_hash_table_insert (demo->numbers, g_steal_pointer (&key), GUINT_TO_POINTER (last));
  return g_strdup_printf ("%s-%s-%04u", unit, day, last);
}

static void
add_feedback (CaseBuilder *b,
              const char  *text)
{
  static const char * const channels[] = { "phone", "sms", "in_person", "wechat" };
  JsonObject *p = obj ();

  json_object_set_string_member (p, "channel", PICK (b->demo, channels));
  json_object_set_string_member (p, "text", text);
  emit (b, PT_EVENT_FEEDBACK_GIVEN, p);
}

GPtrArray *
pt_demo_next_case (PtDemo *demo,
                   guint   index,
                   guint   n_cases)
{
  static const char * const return_reasons[] = {
    "平面布置图比例不符合要求，需重新出图", "申请表缺少法定代表人签字", "身份证复印件不清晰",
    "土地权属证明与申请地址不一致", "缺少村委会盖章意见", "户口簿信息与身份证不一致",
  };
  static const char * const suspend_reasons[] = {
    "申请人外出务工，约定返乡后续办", "等待法院判决确认产权", "等待申请人补充不动产权属证明",
  };
  double age = n_cases > 1 ? 1.0 - (double) index / (double) (n_cases - 1) : 0.0;
  Goal goal = pick_goal (demo, age);
  double r = g_rand_double (demo->rand);
  PtLevel level = r < 0.45 ? PT_LEVEL_VILLAGE : r < 0.80 ? PT_LEVEL_TOWN : PT_LEVEL_DISTRICT;
  const PtUnit *unit = g_ptr_array_index (demo->units[level], rand_int (demo, 0, demo->units[level]->len - 1));
  GPtrArray *pool = demo->items[level];
  gboolean enterprise = level == PT_LEVEL_DISTRICT || (level == PT_LEVEL_TOWN && chance (demo, 0.4));
  guint n_items = (level == PT_LEVEL_DISTRICT && chance (demo, 0.6)) || chance (demo, 0.2) ? 2 : 1;
  const PtCatalogItem *items[2] = { NULL, NULL };
  g_autofree char *vulnerable = NULL;
  g_autofree char *number = NULL;
  g_autofree char *intake_date = NULL;
  g_autofree char *runner = NULL;
  CaseBuilder b = { demo, g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free), pt_uuid7_new (), { 0 }, 0, NULL };
  GDate *today = pt_date_parse (demo->today, NULL);
  JsonObject *p, *applicant;
  JsonArray *array;
  Running running = { { 0 }, FALSE, { 0 }, { 0 } };
  guint span, n_missing = 0;
  const char *channel;

  items[0] = g_ptr_array_index (pool, rand_int (demo, 0, pool->len - 1));
  if (n_items == 2)
    {
      items[1] = g_ptr_array_index (pool, rand_int (demo, 0, pool->len - 1));
      if (items[1] == items[0])
        n_items = 1;
    }
  b.today = *today;

  /* When the case came in. Finished cases spread over the last year, older
   * cases first; open ones are recent, as on a desk that keeps up with its
   * work: a case in progress is dated back from where its due date falls. */
  switch (goal)
    {
    case GOAL_DELIVERED:
    case GOAL_TERMINATED:
      span = MAX ((guint) (age * 330.0) + (guint) rand_int (demo, 0, 12), 75);
      break;
    case GOAL_ACCEPTED:
      span = (guint) rand_int (demo, 0, 6);
      break;
    case GOAL_AGREED:
    case GOAL_ASSIGNED:
    case GOAL_PLANNED:
      span = (guint) rand_int (demo, 1, 12);
      break;
    case GOAL_RETURNED:
      span = (guint) rand_int (demo, 4, 25);
      break;
    case GOAL_SUSPENDED:
      span = (guint) rand_int (demo, 8, 60);
      break;
    case GOAL_IN_PROGRESS:
    default:
      {
        Due when = pick_due (demo);
        guint limit = items[0]->limit_days;

        if (n_items == 2)
          limit = MAX (limit, items[1]->limit_days);
        /* An item of a day or two is done before it could be due later:
         * the case still running for weeks is one with a longer limit. */
        if (when == DUE_LATER && limit < 5)
          {
            g_autoptr(GPtrArray) longer = g_ptr_array_new ();

            for (guint i = 0; i < pool->len; i++)
              if (((const PtCatalogItem *) g_ptr_array_index (pool, i))->limit_days >= 5)
                g_ptr_array_add (longer, g_ptr_array_index (pool, i));
            if (longer->len > 0)
              {
                items[0] = g_ptr_array_index (longer, rand_int (demo, 0, longer->len - 1));
                items[1] = NULL;
                n_items = 1;
                limit = items[0]->limit_days;
              }
          }
        running = plan_running (demo, today, limit, when, chance (demo, 0.25));
        span = (guint) g_date_days_between (&running.submitted, today) + (guint) rand_int (demo, 1, 4);
      }
      break;
    }
  b.date = *today;
  g_date_subtract_days (&b.date, span);
  while (g_date_get_weekday (&b.date) >= G_DATE_SATURDAY)
    g_date_subtract_days (&b.date, 1);
  b.minute = rand_int (demo, 0, 300);

  runner = g_strdup (pick_runner (demo, unit->code));
  b.author = g_strdup (runner);

  /* intake */
  applicant = make_applicant (demo, unit, enterprise, &vulnerable);
  channel = g_strcmp0 (vulnerable, "none") != 0 && chance (demo, 0.5) ? "home_visit"
            : chance (demo, 0.15) ? "hotline" : "window";
  number = case_number (demo, unit->code, &b.date);
  p = obj ();
  json_object_set_object_member (p, "applicant", applicant);
  json_object_set_string_member (p, "channel", channel);
  array = json_array_new ();
  for (guint i = 0; i < n_items; i++)
    json_array_add_string_element (array, items[i]->code);
  json_object_set_array_member (p, "items", array);
  json_object_set_string_member (p, "unit", unit->code);
  json_object_set_string_member (p, "level", pt_level_to_string (unit->level));
  json_object_set_string_member (p, "number", number);
  emit (&b, PT_EVENT_INTAKE, p);
  intake_date = pt_date_format (&b.date);

  /* the material checklist, the same material once */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(JsonArray) missing = json_array_new ();

    p = obj ();
    array = json_array_new ();
    for (guint i = 0; i < n_items; i++)
      for (guint m = 0; m < items[i]->materials->len; m++)
        {
          PtCatalogMaterial *material = g_ptr_array_index (items[i]->materials, m);
          JsonObject *row;
          gboolean is_missing;

          if (!g_hash_table_add (seen, material->name))
            continue;
          is_missing = goal == GOAL_ACCEPTED ? chance (demo, 0.25) : FALSE;
          row = obj ();
          json_object_set_string_member (row, "name", material->name);
          json_object_set_string_member (row, "form", material->original ? "original" : "copy");
          json_object_set_int_member (row, "count", material->count);
          json_object_set_boolean_member (row, "missing", is_missing);
          json_object_set_string_member (row, "item", items[i]->code);
          json_array_add_object_element (array, row);
          if (is_missing)
            {
              json_array_add_string_element (missing, material->name);
              n_missing++;
            }
        }
    json_object_set_array_member (p, "materials", array);
    emit (&b, PT_EVENT_MATERIALS_CHECKED, p);
    if (n_missing > 0)
      {
        p = obj ();
        json_object_set_array_member (p, "materials", json_array_ref (missing));
        emit (&b, PT_EVENT_MISSING_NOTICE, p);
      }
  }
  if (goal == GOAL_ACCEPTED)
    goto done;

  /* agreement and runner */
  {
    g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, number, -1);
    p = obj ();
    json_object_set_string_member (p, "digest", digest);
    emit (&b, PT_EVENT_AGREEMENT_SIGNED, p);
  }
  if (goal == GOAL_AGREED)
    goto done;
  p = obj ();
  json_object_set_string_member (p, "runner", runner);
  emit (&b, PT_EVENT_RUNNER_ASSIGNED, p);
  if (goal == GOAL_ASSIGNED)
    goto done;

  /* the plan: one step per item, in parallel when there are two */
  p = obj ();
  array = json_array_new ();
  for (guint i = 0; i < n_items; i++)
    {
      JsonObject *step = obj ();
      g_autofree char *step_id = g_strdup_printf ("s%u", i + 1);
      const char *mode = n_items > 1 ? "parallel" : unit->level != items[i]->level || unit->level == PT_LEVEL_VILLAGE
                         ? "cross_level" : "single";
      g_autofree char *start = NULL;
      g_autofree char *end = NULL;
      GDate planned = b.date;

      g_date_add_days (&planned, 1);
      start = pt_date_format (&planned);
      end = pt_calendar_add_working_days (demo->reference->calendar, start, items[i]->limit_days, NULL);
      json_object_set_string_member (step, "id", step_id);
      json_object_set_string_member (step, "item", items[i]->code);
      json_object_set_string_member (step, "department", items[i]->department);
      json_object_set_string_member (step, "level", pt_level_to_string (items[i]->level));
      json_object_set_string_member (step, "mode", mode);
      json_object_set_string_member (step, "planned_start", start);
      if (end != NULL)
        json_object_set_string_member (step, "planned_end", end);
      json_object_set_int_member (step, "limit_days", items[i]->limit_days);
      json_array_add_object_element (array, step);
    }
  json_object_set_array_member (p, "steps", array);
  emit (&b, PT_EVENT_PLAN_SET, p);
  if (goal == GOAL_PLANNED)
    goto done;
  /* Suspended before the submission: the applicant has something to settle
   * first, and no time limit runs meanwhile. */
  if (goal == GOAL_SUSPENDED)
    {
      advance (&b, rand_int (demo, 1, 3));
      p = obj ();
      json_object_set_string_member (p, "reason", PICK (demo, suspend_reasons));
      emit (&b, PT_EVENT_CASE_SUSPENDED, p);
      goto done;
    }

  /* submission, tracking and feedback */
  if (goal == GOAL_IN_PROGRESS)
    move_to (&b, &running.submitted);
  else
    advance (&b, 1);
  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *step_id = g_strdup_printf ("s%u", i + 1);
      p = obj ();
      json_object_set_string_member (p, "step", step_id);
      emit (&b, PT_EVENT_STEP_SUBMITTED, p);
    }
  for (guint i = 0; i < n_items; i++)
    if (items[i]->fees->len > 0)
      {
        PtCatalogFee *fee = g_ptr_array_index (items[i]->fees, 0);
        p = obj ();
        json_object_set_string_member (p, "item", items[i]->code);
        json_object_set_string_member (p, "name", fee->name);
        json_object_set_int_member (p, "amount_fen", fee->amount_fen > 0 ? fee->amount_fen : 8000);
        json_object_set_string_member (p, "basis", fee->basis);
        emit (&b, PT_EVENT_FEE_RECORDED, p);
      }
  add_feedback (&b, "材料已报送审批部门，正在审核，有进展及时告知。");
  if (demo->history)
    {
      add_feedback (&b, "材料已由跑手送达审批部门窗口。");
      add_feedback (&b, "已与审批部门沟通，预计按期办结。");
    }

  if (goal == GOAL_IN_PROGRESS ? running.returned : goal == GOAL_RETURNED || chance (demo, 0.25))
    {
      const char *reason = PICK (demo, return_reasons);

      if (goal == GOAL_IN_PROGRESS)
        move_to (&b, &running.returned_on);
      else
        advance (&b, rand_int (demo, 1, 3));
      /* The materials are the case's: every step waits for the correction,
       * so that no clock runs on while the applicant fetches them. */
      for (guint i = 0; i < n_items; i++)
        {
          g_autofree char *step_id = g_strdup_printf ("s%u", i + 1);

          p = obj ();
          json_object_set_string_member (p, "step", step_id);
          json_object_set_string_member (p, "reason", reason);
          emit (&b, PT_EVENT_STEP_RETURNED, p);
        }
      add_feedback (&b, "审批部门要求补正材料，请按一次性告知的内容准备。");
      if (goal == GOAL_RETURNED)
        goto done;
      if (goal == GOAL_IN_PROGRESS)
        move_to (&b, &running.resumed_on);
      else
        advance (&b, rand_int (demo, 1, 5));
      for (guint i = 0; i < n_items; i++)
        {
          g_autofree char *step_id = g_strdup_printf ("s%u", i + 1);

          p = obj ();
          json_object_set_string_member (p, "step", step_id);
          emit (&b, PT_EVENT_STEP_RESUMED, p);
        }
    }
  if (goal == GOAL_IN_PROGRESS)
    goto done;

  if (goal == GOAL_TERMINATED)
    {
      static const char * const codes[] = { "applicant_withdrew", "conditions_not_met", "rejected", "unreachable" };
      static const char * const reasons[] = {
        "申请人因项目调整主动撤回委托", "不符合办理条件，经审核不予受理", "审批部门不予批准", "多次联系申请人未果",
      };
      int k = rand_int (demo, 0, 3);
      JsonObject *row = obj ();

      advance (&b, rand_int (demo, 1, 6));
      if (k == 2)
        {
          p = obj ();
          json_object_set_string_member (p, "step", "s1");
          json_object_set_string_member (p, "reason", "不符合规划要求");
          emit (&b, PT_EVENT_STEP_REJECTED, p);
        }
      p = obj ();
      json_object_set_string_member (p, "reason_code", codes[k]);
      json_object_set_string_member (p, "reason", reasons[k]);
      array = json_array_new ();
      json_object_set_string_member (row, "name", ((PtCatalogMaterial *) g_ptr_array_index (items[0]->materials, 0))->name);
      json_object_set_string_member (row, "form", "original");
      json_object_set_int_member (row, "count", 1);
      json_array_add_object_element (array, row);
      json_object_set_array_member (p, "materials_returned", array);
      emit (&b, PT_EVENT_TERMINATED, p);
      goto ended;
    }

  /* decisions and delivery */
  advance (&b, rand_int (demo, 1, MAX (items[0]->limit_days, 2)));
  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *step_id = g_strdup_printf ("s%u", i + 1);
      p = obj ();
      json_object_set_string_member (p, "step", step_id);
      emit (&b, PT_EVENT_STEP_APPROVED, p);
    }
  add_feedback (&b, "审批已通过，请约定领取时间。");
  advance (&b, rand_int (demo, 1, 3));
  p = obj ();
  array = json_array_new ();
  for (guint i = 0; i < n_items; i++)
    {
      JsonObject *certificate = obj ();
      g_autofree char *step_id = g_strdup_printf ("s%u", i + 1);
      g_autofree char *cert_name = g_strdup_printf ("%s批准文书", items[i]->name);
      g_autofree char *cert_number = g_strdup_printf ("博审字〔%d〕%05d号", g_date_get_year (&b.date), rand_int (demo, 1, 99999));
      json_object_set_string_member (certificate, "step", step_id);
      json_object_set_string_member (certificate, "name", cert_name);
      json_object_set_string_member (certificate, "number", cert_number);
      json_object_set_int_member (certificate, "copies", 1);
      json_array_add_object_element (array, certificate);
    }
  json_object_set_array_member (p, "certificates", array);
  json_object_set_boolean_member (p, "originals_returned", TRUE);
  if (chance (demo, 0.2))
    {
      /* An EMS number whose S10 check digit holds, and an address, from one
       * draw (as many draws as before: the rest of the demo stays the same). */
      int n = rand_int (demo, 0, 999999999);
      g_autofree char *serial = g_strdup_printf ("%08d", n % 100000000);
      g_autofree char *tracking = g_strdup_printf ("E%c%s%dCN", 'A' + n / 100000000, serial,
                                                   pt_s10_check_digit (serial));
      g_autofree char *address = g_strdup_printf ("山东省淄博市博山区%s%d号",
                                                  streets[n % G_N_ELEMENTS (streets)], n % 300 + 1);
      json_object_set_string_member (p, "method", "mail");
      json_object_set_string_member (p, "courier", "ems");
      json_object_set_string_member (p, "tracking_number", tracking);
      json_object_set_string_member (p, "mail_address", address);
    }
  else
    json_object_set_string_member (p, "method", "in_person");
  emit (&b, PT_EVENT_DELIVERED, p);

ended:
  if (chance (demo, demo->history ? 0.95 : 0.8))
    {
      double g = g_rand_double (demo->rand);
      p = obj ();
      json_object_set_int_member (p, "grade", g < 0.8 ? 5 : g < 0.93 ? 4 : g < 0.98 ? 3 : 2);
      emit (&b, PT_EVENT_RATED, p);
    }
  if (chance (demo, demo->history ? 0.9 : 0.5))
    {
      p = obj ();
      json_object_set_string_member (p, "text", "电话回访，申请人对代办服务表示满意。");
      emit (&b, PT_EVENT_RETURN_VISIT, p);
    }

done:
  if (chance (demo, demo->history ? 0.6 : 0.15))
    {
      p = obj ();
      json_object_set_string_member (p, "text", "申请人希望办理进度通过短信告知。");
      emit (&b, PT_EVENT_NOTE, p);
    }
  g_date_free (today);
  g_free (b.case_id);
  g_free (b.author);
  return b.events;
}

static int
compare_first_stamps (gconstpointer a,
                      gconstpointer b)
{
  const PtEvent *ea = g_ptr_array_index (*(GPtrArray * const *) a, 0);
  const PtEvent *eb = g_ptr_array_index (*(GPtrArray * const *) b, 0);

  return ea->stamp.wall < eb->stamp.wall ? -1 : ea->stamp.wall > eb->stamp.wall;
}

gboolean
pt_demo_generate_full (PtStore             *store,
                       const PtDemoOptions *options,
                       guint                n_cases,
                       GError             **error)
{
  g_autoptr(PtDemo) demo = pt_demo_new (store, options);
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) pt_event_free);

  if (!pt_demo_add_runners (demo, error))
    return FALSE;
  for (guint i = 0; i < n_cases; i++)
    g_ptr_array_add (cases, pt_demo_next_case (demo, i, n_cases));
  /* Stored in the order they came in, so that the list (newest first) reads
   * by date: open cases are recent whatever their place in the run. */
  g_ptr_array_sort (cases, compare_first_stamps);

  for (guint i = 0; i < cases->len; i++)
    {
      GPtrArray *events = g_ptr_array_index (cases, i);

      for (guint e = 0; e < events->len; e++)
        g_ptr_array_add (batch, g_steal_pointer (&events->pdata[e]));
      if (batch->len >= 2000 || i + 1 == cases->len)
        {
          if (!pt_store_append_batch (store, batch, TRUE, error))
            return FALSE;
          g_ptr_array_set_size (batch, 0);
        }
    }
  return TRUE;
}

gboolean
pt_demo_generate (PtStore  *store,
                  guint     n_cases,
                  guint32   seed,
                  GError  **error)
{
  PtDemoOptions options = { seed, NULL, FALSE };

  return pt_demo_generate_full (store, &options, n_cases, error);
}
