/* pt-document-blocks.c: what each document says about the case.
 *
 * The template decides the order, the headings and the clause wording; the
 * blocks here turn the folded case state, the catalog and the runner into the
 * tables and grids of the form. Everything a block prints goes through the
 * layout, so it lands in the canonical text that the QR code's digest covers.
 */
#define G_LOG_DOMAIN "paotuan-documents"

#include <stdio.h>
#include <string.h>

#include "pt-calendar.h"
#include "pt-catalog.h"
#include "pt-document-blocks.h"
#include "pt-mail.h"

#define DASH "—"

typedef struct {
  PtDocumentKind          kind;
  const PtDocumentInput  *in;
  const PtCaseState      *state;
  const PtTemplate       *tmpl;
  PtLayout               *layout;
  GHashTable             *values;
  const char             *center_name;
  const char             *center_address;
  const char             *center_hotline;
  const char             *center_hours;
  char                   *doc_number;
  char                   *date;         /* the document's business date, YYYY-MM-DD */
} Build;

static const char * const variables[] = {
  "center.name", "center.address", "center.hotline", "center.hours",
  "case.number", "document.number", "date", "intake.date",
  "applicant.name", "items",
  "runner.name", "runner.phone", "runner.staff_number",
  "delivery.date", "delivery.how", "delivery.originals", "termination.date", "termination.reason",
  NULL
};

const char * const *
pt_document_variables (void)
{
  return variables;
}

static const char *
or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : DASH;
}

/* "2026-11-26" -> "2026年11月26日"; as given when it is not such a date. */
static char *
chinese_date (const char *date)
{
  int y, m, d;

  if (date == NULL)
    return g_strdup ("　　　　年　　月　　日");
  if (sscanf (date, "%d-%d-%d", &y, &m, &d) == 3)
    return g_strdup_printf ("%d年%d月%d日", y, m, d);
  return g_strdup (date);
}

/* 1 -> "一", 12 -> "十二", 21 -> "二十一" (clauses stay well below 100). */
static char *
chinese_number (guint n)
{
  static const char * const digits[] = {
    "零", "一", "二", "三", "四", "五", "六", "七", "八", "九"
  };
  GString *s = g_string_new (NULL);

  if (n >= 100)
    {
      g_string_printf (s, "%u", n);
      return g_string_free (s, FALSE);
    }
  if (n >= 20)
    g_string_append (s, digits[n / 10]);
  if (n >= 10)
    g_string_append (s, "十");
  if (n % 10 != 0 || n == 0)
    g_string_append (s, digits[n % 10]);
  return g_string_free (s, FALSE);
}

static char *
money (gint64 fen)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", fen / 100, (int) (fen % 100));
}

static const PtCatalogItem *
lookup_item (Build      *b,
             const char *code)
{
  if (b->in->reference == NULL || b->in->reference->catalog == NULL || code == NULL)
    return NULL;
  return pt_catalog_lookup (b->in->reference->catalog, code);
}

static const char *
item_name (Build      *b,
           const char *code)
{
  const PtCatalogItem *item = lookup_item (b, code);
  return item != NULL ? item->name : or_dash (code);
}

static const char *
form_label (gboolean original)
{
  return original ? "原件" : "复印件";
}

static char *
count_text (guint count)
{
  return g_strdup_printf ("%u", count);
}

/* ---- blocks ------------------------------------------------------------ */

static void
block_numbers (Build *b)
{
  g_autofree char *line = NULL;
  g_autofree char *date = chinese_date (b->date);

  if (b->kind == PT_DOCUMENT_AGREEMENT)
    line = g_strdup_printf ("协议编号：%s", b->doc_number);
  else
    line = g_strdup_printf ("文书编号：%s", b->doc_number);
  pt_layout_subtitle (b->layout, line);
  g_free (line);
  line = g_strdup_printf ("案件编号：%s", or_dash (b->state->number));
  pt_layout_subtitle (b->layout, line);
  g_free (line);
  line = g_strdup_printf ("日期：%s", date);
  pt_layout_subtitle (b->layout, line);
}

static gboolean
is_enterprise (const PtCaseState *state)
{
  return g_strcmp0 (state->applicant_kind, "enterprise") == 0;
}

static void
add_row4 (PtLayoutTable *t,
          const char    *a,
          const char    *b,
          const char    *c,
          const char    *d)
{
  const char *cells[] = { a, b, c, d };
  pt_layout_table_add_row (t, cells);
}

static PtLayoutTable *
grid4 (Build *b)
{
  static const double widths[] = { 1.15, 1.85, 1.15, 1.85 };
  PtLayoutTable *t = pt_layout_table (b->layout, 4, widths);

  pt_layout_table_set_label_columns (t, (1u << 0) | (1u << 2));
  return t;
}

static void
block_applicant (Build   *b,
                 gboolean brief)
{
  const PtCaseState *s = b->state;
  PtLayoutTable *t = grid4 (b);
  const char *party = b->kind == PT_DOCUMENT_AGREEMENT ? "（甲方）" : "";

  if (is_enterprise (s))
    {
      g_autofree char *who = g_strconcat ("委托单位", party, NULL);
      add_row4 (t, who, or_dash (s->applicant_name), "统一社会信用代码", or_dash (s->uscc));
      add_row4 (t, "法定代表人", or_dash (s->legal_representative), "联系电话", or_dash (s->phone));
      if (!brief)
        pt_layout_table_add_span_row (t, "住所", or_dash (s->address));
    }
  else
    {
      g_autofree char *who = g_strconcat ("委托人", party, NULL);
      add_row4 (t, who, or_dash (s->applicant_name), "身份证号码", or_dash (s->id_number));
      if (brief)
        add_row4 (t, "联系电话", or_dash (s->phone), "受理日期", or_dash (s->intake_date));
      else
        {
          add_row4 (t, "联系电话", or_dash (s->phone), "受理日期", or_dash (s->intake_date));
          pt_layout_table_add_span_row (t, "住址", or_dash (s->address));
        }
    }
}

static void
block_center (Build *b)
{
  const PtRunner *r = b->in->runner;
  PtLayoutTable *t = grid4 (b);
  const char *party = b->kind == PT_DOCUMENT_AGREEMENT ? "受托方（乙方）" : "服务中心";

  add_row4 (t, party, or_dash (b->center_name), "服务热线", or_dash (b->center_hotline));
  pt_layout_table_add_span_row (t, "地址", or_dash (b->center_address));
  add_row4 (t, "跑手", r != NULL ? or_dash (r->name) : DASH,
            "工号", r != NULL ? or_dash (r->staff_number) : DASH);
  add_row4 (t, "跑手电话", r != NULL ? or_dash (r->phone) : DASH,
            "跑手编号", r != NULL ? or_dash (r->id) : or_dash (b->state->runner));
}

static void
block_contact (Build *b)
{
  const PtRunner *r = b->in->runner;
  PtLayoutTable *t = grid4 (b);

  add_row4 (t, "经办跑手", r != NULL ? or_dash (r->name) : DASH,
            "联系电话", r != NULL ? or_dash (r->phone) : DASH);
  add_row4 (t, "服务中心", or_dash (b->center_name), "服务热线", or_dash (b->center_hotline));
  pt_layout_table_add_span_row (t, "地址", or_dash (b->center_address));
  if (b->center_hours != NULL && *b->center_hours != '\0')
    pt_layout_table_add_span_row (t, "办公时间", b->center_hours);
}

static void
block_items (Build *b)
{
  static const double widths[] = { 0.55, 2.6, 1.25, 1.7, 1.15, 1.25 };
  static const char * const header[] = {
    "序号", "事项名称", "事项编码", "办理部门", "层级", "时限（工作日）"
  };
  PtLayoutTable *t = pt_layout_table (b->layout, 6, widths);

  pt_layout_table_set_header (t, header);
  pt_layout_table_set_center_columns (t, (1u << 0) | (1u << 4) | (1u << 5));
  for (guint i = 0; b->state->items != NULL && i < b->state->items->len; i++)
    {
      const char *code = g_ptr_array_index (b->state->items, i);
      const PtCatalogItem *item = lookup_item (b, code);
      g_autofree char *n = count_text (i + 1);
      g_autofree char *limit = item != NULL ? count_text (item->limit_days) : g_strdup (DASH);
      const char *cells[] = {
        n, item != NULL ? item->name : or_dash (code), or_dash (code),
        item != NULL ? or_dash (item->department) : DASH,
        item != NULL ? pt_level_label (item->level) : DASH, limit
      };
      pt_layout_table_add_row (t, cells);
    }
  if (b->state->items == NULL || b->state->items->len == 0)
    pt_layout_table_add_wide_row (t, "（无）");
}

/* Originals go back to the applicant at delivery; copies stay with the file. */
static void
block_materials (Build *b)
{
  static const double widths[] = { 0.55, 3.0, 1.2, 0.6, 1.0, 1.65 };
  static const char * const header[] = {
    "序号", "材料名称", "原件/复印件", "份数", "是否退还", "所属事项"
  };
  PtLayoutTable *t = pt_layout_table (b->layout, 6, widths);
  guint n = 0, missing = 0;

  pt_layout_table_set_header (t, header);
  pt_layout_table_set_center_columns (t, (1u << 0) | (1u << 2) | (1u << 3) | (1u << 4));
  for (guint i = 0; b->state->materials != NULL && i < b->state->materials->len; i++)
    {
      const PtMaterial *m = g_ptr_array_index (b->state->materials, i);
      g_autofree char *num = NULL;
      g_autofree char *count = NULL;

      if (m->missing)
        {
          missing++;
          continue;
        }
      num = count_text (++n);
      count = count_text (m->count);
      {
        const char *cells[] = {
          num, or_dash (m->name), form_label (m->original), count,
          m->original ? "退还" : "不退还", m->item != NULL ? item_name (b, m->item) : DASH
        };
        pt_layout_table_add_row (t, cells);
      }
    }
  if (n == 0)
    pt_layout_table_add_wide_row (t, "（未移交材料）");
  if (missing > 0)
    {
      g_autofree char *note = g_strdup_printf ("另有 %u 项材料尚缺，已出具一次性告知书，"
                                               "补齐后另行移交。", missing);
      pt_layout_table_add_wide_row (t, note);
    }
}

static void
block_fees (Build *b)
{
  static const double widths[] = { 0.5, 2.2, 1.1, 3.4 };
  static const char * const header[] = { "序号", "费用名称", "金额（元）", "收费依据" };
  PtLayoutTable *t = pt_layout_table (b->layout, 4, widths);
  guint n = 0;

  pt_layout_table_set_header (t, header);
  pt_layout_table_set_center_columns (t, (1u << 0) | (1u << 2));

  /* After the work, the fees actually paid; before it, what the catalog says
   * the law requires for the commissioned items. */
  if (b->state->fees != NULL && b->state->fees->len > 0)
    {
      for (guint i = 0; i < b->state->fees->len; i++)
        {
          const PtFee *fee = g_ptr_array_index (b->state->fees, i);
          g_autofree char *num = count_text (++n);
          g_autofree char *amount = money (fee->amount_fen);
          const char *cells[] = { num, or_dash (fee->name), amount, or_dash (fee->basis) };
          pt_layout_table_add_row (t, cells);
        }
    }
  else if (b->kind == PT_DOCUMENT_AGREEMENT)
    {
      for (guint i = 0; b->state->items != NULL && i < b->state->items->len; i++)
        {
          const PtCatalogItem *item = lookup_item (b, g_ptr_array_index (b->state->items, i));

          for (guint j = 0; item != NULL && item->fees != NULL && j < item->fees->len; j++)
            {
              const PtCatalogFee *fee = g_ptr_array_index (item->fees, j);
              g_autofree char *num = count_text (++n);
              g_autofree char *amount = fee->amount_fen > 0 ? money (fee->amount_fen)
                                                             : g_strdup ("按规定标准");
              const char *cells[] = { num, or_dash (fee->name), amount, or_dash (fee->basis) };
              pt_layout_table_add_row (t, cells);
            }
        }
    }
  if (n == 0)
    pt_layout_table_add_wide_row (t, "本委托事项无法律、法规规定必须缴纳的费用。");
}

static const char *
step_result (const PtStep *step)
{
  switch (step->status)
    {
    case PT_STEP_APPROVED: return "准予许可";
    case PT_STEP_REJECTED: return "不予许可";
    case PT_STEP_RETURNED: return "补正中";
    case PT_STEP_SUBMITTED: return "审批中";
    case PT_STEP_PLANNED:
    default:               return "未报送";
    }
}

static void
block_results (Build *b)
{
  static const double widths[] = { 0.55, 2.3, 1.6, 1.2, 1.15, 2.0 };
  static const char * const header[] = {
    "序号", "事项名称", "办理部门", "办理结果", "办结日期", "批文/文号"
  };
  PtLayoutTable *t = pt_layout_table (b->layout, 6, widths);
  guint n = 0;

  pt_layout_table_set_header (t, header);
  pt_layout_table_set_center_columns (t, (1u << 0) | (1u << 3) | (1u << 4));
  for (guint i = 0; b->state->steps != NULL && i < b->state->steps->len; i++)
    {
      const PtStep *step = g_ptr_array_index (b->state->steps, i);
      g_autofree char *num = count_text (++n);
      const char *cells[] = {
        num, item_name (b, step->item), or_dash (step->department), step_result (step),
        or_dash (step->decided_on), or_dash (step->document)
      };
      pt_layout_table_add_row (t, cells);
    }
  if (n == 0)
    pt_layout_table_add_wide_row (t, "（无办理步骤记录）");
}

static void
block_certificates (Build *b)
{
  static const double widths[] = { 0.5, 3.0, 2.8, 0.8 };
  static const char * const header[] = { "序号", "证照（批文）名称", "证照编号", "份数" };
  PtLayoutTable *t = pt_layout_table (b->layout, 4, widths);
  guint n = 0;

  pt_layout_table_set_header (t, header);
  pt_layout_table_set_center_columns (t, (1u << 0) | (1u << 3));
  for (guint i = 0; b->state->certificates != NULL && i < b->state->certificates->len; i++)
    {
      const PtCertificate *cert = g_ptr_array_index (b->state->certificates, i);
      g_autofree char *num = count_text (++n);
      g_autofree char *copies = count_text (cert->copies);
      const char *cells[] = { num, or_dash (cert->name), or_dash (cert->number), copies };
      pt_layout_table_add_row (t, cells);
    }
  if (n == 0)
    pt_layout_table_add_wide_row (t, "（无证照）");
}

static void
block_delivery (Build *b)
{
  const PtCaseState *s = b->state;
  PtLayoutTable *t = grid4 (b);
  gboolean mail = g_strcmp0 (s->delivery_method, "mail") == 0;

  add_row4 (t, "送达方式", mail ? "邮寄送达" : "当面领取",
            "邮寄单号", mail ? or_dash (s->tracking_number) : DASH);
  if (mail)
    add_row4 (t, "快递公司", or_dash (pt_courier_paper_name (s->courier)),
              "邮寄地址", or_dash (s->mail_address));
  add_row4 (t, "原件退还", s->originals_returned ? "原件已全部退还" : "无原件需退还",
            "办结日期", or_dash (s->delivered_on));
}

/* Working days used: from submission to decision, less the days the clock
 * stood still for corrections; "on time" compares the decision with the due
 * date, which already moved by those paused days. */
static void
block_timeliness (Build *b)
{
  static const double widths[] = { 2.2, 1.1, 1.1, 0.95, 0.95, 0.95, 0.75 };
  static const char * const header[] = {
    "事项", "报送日期", "办结日期", "法定时限（工作日）", "实际用时（工作日）",
    "补正中止（工作日）", "是否按时"
  };
  PtLayoutTable *t = pt_layout_table (b->layout, 7, widths);
  PtCalendar *calendar = b->in->reference != NULL ? b->in->reference->calendar : NULL;
  guint n = 0, late = 0;

  pt_layout_table_set_header (t, header);
  pt_layout_table_set_center_columns (t, 0x7e);
  for (guint i = 0; b->state->steps != NULL && i < b->state->steps->len; i++)
    {
      const PtStep *step = g_ptr_array_index (b->state->steps, i);
      g_autofree char *limit = count_text (step->limit_days);
      g_autofree char *paused = count_text (step->paused_days);
      g_autofree char *used = NULL;
      const char *on_time = DASH;
      int days = -1;

      n++;
      if (step->submitted_on != NULL && step->decided_on != NULL && calendar != NULL)
        {
          g_autoptr(GError) error = NULL;

          days = pt_calendar_working_days_between (calendar, step->submitted_on,
                                                   step->decided_on, &error);
          if (days >= 0)
            days = MAX (0, days - (int) step->paused_days);
        }
      used = days >= 0 ? count_text ((guint) days) : g_strdup (DASH);
      if (step->decided_on != NULL)
        {
          gboolean ok;

          if (step->due != NULL)
            ok = strcmp (step->decided_on, step->due) <= 0;
          else if (days >= 0)
            ok = (guint) days <= step->limit_days;
          else
            ok = TRUE;
          on_time = ok ? "按时" : "超期";
          if (!ok)
            late++;
        }
      {
        const char *cells[] = {
          item_name (b, step->item), or_dash (step->submitted_on), or_dash (step->decided_on),
          limit, used, paused, on_time
        };
        pt_layout_table_add_row (t, cells);
      }
    }
  if (n == 0)
    pt_layout_table_add_wide_row (t, "（无办理步骤记录）");
  else
    {
      g_autofree char *summary = late == 0
        ? g_strdup ("全部事项均在法定时限内办结（补正期间不计入时限）。")
        : g_strdup_printf ("共 %u 项超过法定时限办结。", late);
      pt_layout_table_add_wide_row (t, summary);
    }
}

static const char *
termination_label (const char *code)
{
  static const struct { const char *code, *label; } labels[] = {
    { "applicant_withdrew", "申请人要求终止委托" },
    { "conditions_not_met", "事项不具备办结条件" },
    { "rejected",           "审批部门不予许可" },
    { "unreachable",        "无法联系申请人" },
    { "other",              "其他原因" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (code, labels[i].code) == 0)
      return labels[i].label;
  return or_dash (code);
}

static void
block_termination (Build *b)
{
  const PtCaseState *s = b->state;
  PtLayoutTable *t = grid4 (b);

  add_row4 (t, "终止原因", termination_label (s->termination_code),
            "终止日期", or_dash (s->terminated_on));
  pt_layout_table_add_span_row (t, "具体说明", or_dash (s->termination_reason));
}

static void
material_table (Build     *b,
                GPtrArray *materials,
                const char *empty)
{
  static const double widths[] = { 0.55, 3.3, 1.2, 0.6, 1.6 };
  static const char * const header[] = {
    "序号", "材料名称", "原件/复印件", "份数", "申请人签收"
  };
  PtLayoutTable *t = pt_layout_table (b->layout, 5, widths);
  guint n = 0;

  pt_layout_table_set_header (t, header);
  pt_layout_table_set_center_columns (t, (1u << 0) | (1u << 2) | (1u << 3));
  for (guint i = 0; materials != NULL && i < materials->len; i++)
    {
      const PtMaterial *m = g_ptr_array_index (materials, i);
      g_autofree char *num = count_text (++n);
      g_autofree char *count = count_text (m->count);
      const char *cells[] = { num, or_dash (m->name), form_label (m->original), count, "" };
      pt_layout_table_add_row (t, cells);
    }
  if (n == 0)
    pt_layout_table_add_wide_row (t, empty);
}

static void
block_returned_materials (Build *b)
{
  material_table (b, b->state->returned_materials, "（无需退还的材料）");
}

/* What the applicant must bring: the form and count from the checklist,
 * else from the catalog's list for the item. */
static void
describe_missing (Build       *b,
                  const char  *name,
                  char       **need,
                  char       **item)
{
  const PtCaseState *s = b->state;

  for (guint i = 0; s->materials != NULL && i < s->materials->len; i++)
    {
      const PtMaterial *m = g_ptr_array_index (s->materials, i);
      if (g_strcmp0 (m->name, name) == 0)
        {
          *need = g_strdup_printf ("%s %u 份", form_label (m->original), MAX (m->count, 1));
          *item = g_strdup (m->item != NULL ? item_name (b, m->item) : DASH);
          return;
        }
    }
  for (guint i = 0; s->items != NULL && i < s->items->len; i++)
    {
      const PtCatalogItem *ci = lookup_item (b, g_ptr_array_index (s->items, i));
      for (guint j = 0; ci != NULL && ci->materials != NULL && j < ci->materials->len; j++)
        {
          const PtCatalogMaterial *cm = g_ptr_array_index (ci->materials, j);
          if (g_strcmp0 (cm->name, name) == 0)
            {
              *need = g_strdup_printf ("%s %u 份", form_label (cm->original), MAX (cm->count, 1));
              *item = g_strdup (ci->name);
              return;
            }
        }
    }
  *need = g_strdup ("按审批部门要求提供");
  *item = g_strdup (DASH);
}

static void
block_missing_materials (Build *b)
{
  static const double widths[] = { 0.5, 3.4, 1.5, 2.2 };
  static const char * const header[] = { "序号", "所缺材料", "要求", "所属事项" };
  PtLayoutTable *t = pt_layout_table (b->layout, 4, widths);
  const PtCaseState *s = b->state;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint n = 0;

  pt_layout_table_set_header (t, header);
  pt_layout_table_set_center_columns (t, 1u << 0);

  /* The notice's own list first, then anything else the checklist marks
   * missing: the notice must name every missing material at once. */
  for (guint i = 0; s->notice_materials != NULL && i < s->notice_materials->len; i++)
    g_ptr_array_add (names, g_ptr_array_index (s->notice_materials, i));
  for (guint i = 0; s->materials != NULL && i < s->materials->len; i++)
    {
      const PtMaterial *m = g_ptr_array_index (s->materials, i);
      gboolean listed = FALSE;

      if (!m->missing)
        continue;
      for (guint j = 0; j < names->len && !listed; j++)
        listed = g_strcmp0 (g_ptr_array_index (names, j), m->name) == 0;
      if (!listed)
        g_ptr_array_add (names, m->name);
    }

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *num = count_text (++n);
      g_autofree char *need = NULL;
      g_autofree char *item = NULL;

      describe_missing (b, g_ptr_array_index (names, i), &need, &item);
      {
        const char *cells[] = { num, or_dash (g_ptr_array_index (names, i)), need, item };
        pt_layout_table_add_row (t, cells);
      }
    }
  if (n == 0)
    pt_layout_table_add_wide_row (t, "（无）");
}

static void
run_block (Build      *b,
           const char *name)
{
  if (g_str_equal (name, "numbers"))
    block_numbers (b);
  else if (g_str_equal (name, "applicant"))
    block_applicant (b, FALSE);
  else if (g_str_equal (name, "applicant-brief"))
    block_applicant (b, TRUE);
  else if (g_str_equal (name, "center"))
    block_center (b);
  else if (g_str_equal (name, "contact"))
    block_contact (b);
  else if (g_str_equal (name, "items"))
    block_items (b);
  else if (g_str_equal (name, "materials"))
    block_materials (b);
  else if (g_str_equal (name, "fees"))
    block_fees (b);
  else if (g_str_equal (name, "results"))
    block_results (b);
  else if (g_str_equal (name, "certificates"))
    block_certificates (b);
  else if (g_str_equal (name, "delivery"))
    block_delivery (b);
  else if (g_str_equal (name, "timeliness"))
    block_timeliness (b);
  else if (g_str_equal (name, "termination"))
    block_termination (b);
  else if (g_str_equal (name, "returned-materials"))
    block_returned_materials (b);
  else if (g_str_equal (name, "missing-materials"))
    block_missing_materials (b);
  else
    g_assert_not_reached ();   /* the template parser only lets known blocks through */
}

/* ---- the document ------------------------------------------------------ */

static const char *
document_date (PtDocumentKind     kind,
               const PtCaseState *s)
{
  const char *date = NULL;

  switch (kind)
    {
    case PT_DOCUMENT_AGREEMENT:   date = s->agreement_date; break;
    case PT_DOCUMENT_RECEIPT:     date = s->delivered_on; break;
    case PT_DOCUMENT_TERMINATION: date = s->terminated_on; break;
    case PT_DOCUMENT_NOTICE:      date = s->notice_date; break;
    case PT_DOCUMENT_N_KINDS:
    default:                      break;
    }
  if (date == NULL)
    date = s->intake_date;
  if (date == NULL)
    date = s->updated_on;
  return date;
}

static void
fill_values (Build *b)
{
  const PtCaseState *s = b->state;
  const PtRunner *r = b->in->runner;
  GString *items = g_string_new (NULL);

  for (guint i = 0; s->items != NULL && i < s->items->len; i++)
    {
      if (i > 0)
        g_string_append (items, "、");
      g_string_append (items, item_name (b, g_ptr_array_index (s->items, i)));
    }

#define SET(k, v) g_hash_table_insert (b->values, (char *) (k), g_strdup ((v) != NULL ? (v) : ""))
#define TAKE(k, v) g_hash_table_insert (b->values, (char *) (k), (v))
  SET ("center.name", b->center_name);
  SET ("center.address", b->center_address);
  SET ("center.hotline", b->center_hotline);
  SET ("center.hours", b->center_hours);
  SET ("case.number", s->number);
  SET ("document.number", b->doc_number);
  TAKE ("date", chinese_date (b->date));
  TAKE ("intake.date", chinese_date (s->intake_date));
  SET ("applicant.name", s->applicant_name);
  TAKE ("items", g_string_free (items, FALSE));
  SET ("runner.name", r != NULL ? r->name : NULL);
  SET ("runner.phone", r != NULL ? r->phone : NULL);
  SET ("runner.staff_number", r != NULL ? r->staff_number : NULL);
  TAKE ("delivery.date", chinese_date (s->delivered_on));
  /* The receipt says how it went: by hand or by mail, originals or none. */
  if (g_strcmp0 (s->delivery_method, "mail") == 0)
    TAKE ("delivery.how", g_strdup_printf ("由跑手%s经%s邮寄送达（邮寄单号 %s）", r != NULL ? r->name : "",
                                           pt_courier_paper_name (s->courier) ? pt_courier_paper_name (s->courier) : "快递",
                                           s->tracking_number ? s->tracking_number : "—"));
  else
    TAKE ("delivery.how", g_strdup_printf ("由跑手%s当面送达", r != NULL ? r->name : ""));
  SET ("delivery.originals", s->originals_returned ? "原件已退还委托人" : "本次无原件需退还");
  TAKE ("termination.date", chinese_date (s->terminated_on));
  SET ("termination.reason", s->termination_reason);
#undef SET
#undef TAKE
}

/* Who issues the papers: the case's unit's service center from the district
 * data, unless the caller overrides it (a desk's own name for its center);
 * the template's defaults only when the district does not know the unit. */
static void
resolve_center (Build *b)
{
  const PtDocumentInput *in = b->in;
  const PtUnit *unit = NULL;

  if (in->reference != NULL && in->reference->district != NULL && b->state->unit != NULL)
    unit = pt_district_lookup (in->reference->district, b->state->unit);

  if (unit != NULL)
    {
      b->center_name = pt_unit_center_name (unit);
      b->center_address = unit->address;
      b->center_hotline = unit->hotline;
      b->center_hours = unit->hours;
    }
  else
    {
      b->center_name = b->tmpl->center_name;
      b->center_address = b->tmpl->center_address;
      b->center_hotline = b->tmpl->center_hotline;
      b->center_hours = NULL;
    }
  if (in->center_name != NULL)
    b->center_name = in->center_name;
  if (in->center_address != NULL)
    b->center_address = in->center_address;
  if (in->center_hotline != NULL)
    b->center_hotline = in->center_hotline;
}

PtLayout *
pt_document_build (PtDocumentKind          kind,
                   const char             *label,
                   const PtDocumentInput  *in,
                   const PtTemplate       *tmpl,
                   char                  **content_digest)
{
  Build b = { 0 };
  PtLayout *layout = pt_layout_new ();
  g_autofree char *title = NULL;
  g_autofree char *head_right = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *digest = NULL;
  guint section = 0, clause = 0;

  b.kind = kind;
  b.in = in;
  b.state = in->state;
  b.tmpl = tmpl;
  b.layout = layout;
  b.values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  resolve_center (&b);
  b.doc_number = pt_document_agreement_number (tmpl->number_prefix, in->state);
  b.date = g_strdup (document_date (kind, in->state));
  fill_values (&b);

  title = pt_template_expand (tmpl->title, b.values);
  head_right = g_strdup_printf ("%s　案件编号 %s", label, or_dash (in->state->number));
  subject = g_strdup_printf ("案件 %s", or_dash (in->state->number));
  pt_layout_set_fonts (layout, tmpl->body_font, tmpl->heading_font);
  pt_layout_set_running_head (layout, b.center_name, head_right);
  pt_layout_set_metadata (layout, title, b.center_name, subject, b.date);

  /* The canonical text starts with what the QR names: the kind and the case. */
  pt_layout_add_canonical (layout, pt_document_kind_to_string (kind));
  pt_layout_add_canonical (layout, in->state->number);
  pt_layout_title (layout, title);

  for (guint i = 0; i < tmpl->items->len; i++)
    {
      const PtTemplateItem *item = g_ptr_array_index (tmpl->items, i);
      g_autofree char *text = NULL;
      g_autofree char *number = NULL;
      g_autofree char *numbered = NULL;

      if (item->kind != PT_TEMPLATE_BLOCK)
        text = pt_template_expand (item->text, b.values);

      switch (item->kind)
        {
        case PT_TEMPLATE_SECTION:
          number = chinese_number (++section);
          numbered = g_strdup_printf ("%s、%s", number, text);
          clause = 0;
          pt_layout_section (layout, numbered);
          break;
        case PT_TEMPLATE_TEXT:
          pt_layout_paragraph (layout, text);
          break;
        case PT_TEMPLATE_CLAUSE:
          number = chinese_number (++clause);
          numbered = g_strdup_printf ("（%s）", number);
          pt_layout_clause (layout, numbered, text);
          break;
        case PT_TEMPLATE_RIGHT:
          pt_layout_paragraph_right (layout, text);
          break;
        case PT_TEMPLATE_BLOCK:
          run_block (&b, item->text);
          break;
        case PT_TEMPLATE_SIGNER:
          pt_layout_signer (layout, text, item->flags);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                          pt_layout_get_canonical_text (layout), -1);
  qr = g_strdup_printf ("PAOTUAN|%s|%s|sha256:%s", pt_document_kind_to_string (kind),
                        or_dash (in->state->number), digest);
  pt_layout_set_qr (layout, qr, "扫码核验");

  g_hash_table_unref (b.values);
  g_free (b.doc_number);
  g_free (b.date);
  *content_digest = g_steal_pointer (&digest);
  return layout;
}
