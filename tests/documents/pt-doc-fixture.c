/* pt-doc-fixture.c: cases built by hand for the document tests. */
#include "pt-doc-fixture.h"

static PtMaterial *
material (const char *name,
          gboolean    original,
          guint       count,
          gboolean    missing,
          const char *item)
{
  PtMaterial *m = g_new0 (PtMaterial, 1);

  m->name = g_strdup (name);
  m->original = original;
  m->count = count;
  m->missing = missing;
  m->item = g_strdup (item);
  return m;
}

static PtStep *
step (const char  *id,
      const char  *item,
      const char  *department,
      guint        limit,
      const char  *submitted,
      const char  *decided,
      const char  *due,
      guint        paused,
      const char  *document)
{
  PtStep *s = g_new0 (PtStep, 1);

  s->id = g_strdup (id);
  s->item = g_strdup (item);
  s->department = g_strdup (department);
  s->level = PT_LEVEL_DISTRICT;
  s->mode = PT_MODE_PARALLEL;
  s->limit_days = limit;
  s->status = PT_STEP_APPROVED;
  s->submitted_on = g_strdup (submitted);
  s->decided_on = g_strdup (decided);
  s->due = g_strdup (due);
  s->paused_days = paused;
  s->pauses = g_ptr_array_new ();
  s->document = g_strdup (document);
  return s;
}

PtCaseState *
pt_doc_fixture_enterprise (guint n_materials)
{
  PtCaseState *s = pt_case_state_new ();
  PtFee *fee;
  PtCertificate *cert;

  s->id = g_strdup ("0193a1b2-0000-7000-8000-000000000001");
  s->number = g_strdup ("370304-20261102-0003");
  s->status = PT_STATUS_DELIVERED;
  s->unit = g_strdup ("370304");
  s->level = PT_LEVEL_DISTRICT;
  s->channel = g_strdup ("window");
  s->intake_date = g_strdup ("2026-11-02");
  s->applicant_kind = g_strdup ("enterprise");
  s->applicant_name = g_strdup ("淄博鲁山陶瓷新材料有限公司");
  s->uscc = g_strdup ("91370304MA3C5E7X2B");
  s->legal_representative = g_strdup ("孙建国");
  s->phone = g_strdup ("13905331234");
  s->address = g_strdup ("山东省淄博市博山区经济开发区陶瓷路88号");
  g_ptr_array_add (s->items, g_strdup ("D-FGJ-001"));
  g_ptr_array_add (s->items, g_strdup ("D-ZRZY-002"));

  for (guint i = 0; i < n_materials; i++)
    {
      g_autofree char *name = NULL;

      if (i == 0)
        name = g_strdup ("项目备案信息表");
      else if (i == 1)
        name = g_strdup ("营业执照");
      else if (i == 2)
        name = g_strdup ("建设项目用地预审与选址意见书");
      else
        name = g_strdup_printf ("附件材料第%u号（设计图纸及说明）", i + 1);
      g_ptr_array_add (s->materials,
                       material (name, i % 2 == 0, 1 + i % 3,
                                 n_materials > 3 && (i == 3 || i == 5),
                                 i % 2 == 0 ? "D-FGJ-001" : "D-ZRZY-002"));
    }
  if (n_materials > 3)
    {
      g_ptr_array_add (s->notice_materials, g_strdup ("附件材料第4号（设计图纸及说明）"));
      s->notice_date = g_strdup ("2026-11-03");
    }
  s->agreement_date = g_strdup ("2026-11-03");
  s->agreement_digest = g_strdup ("00");
  s->runner = g_strdup ("R-0001");

  g_ptr_array_add (s->steps, step ("s1", "D-FGJ-001", "博山区发展和改革局", 3,
                                   "2026-11-04", "2026-11-06", "2026-11-09", 0,
                                   "博发改备〔2026〕112号"));
  g_ptr_array_add (s->steps, step ("s2", "D-ZRZY-002", "博山区自然资源局", 20,
                                   "2026-11-04", "2026-12-08", "2026-12-04", 2,
                                   "地字第370304202600457号"));

  fee = g_new0 (PtFee, 1);
  fee->name = g_strdup ("不动产登记费");
  fee->amount_fen = 55000;
  fee->basis = g_strdup ("《不动产登记暂行条例》；鲁价费发〔2016〕82号");
  g_ptr_array_add (s->fees, fee);

  s->delivered_on = g_strdup ("2026-12-09");
  s->delivery_method = g_strdup ("mail");
  s->tracking_number = g_strdup ("SF1402887766551");
  s->courier = g_strdup ("sf");
  s->mail_address = g_strdup ("山东省淄博市博山区城东街道工业园 8 号");
  s->originals_returned = TRUE;
  cert = g_new0 (PtCertificate, 1);
  cert->name = g_strdup ("建设用地规划许可证");
  cert->number = g_strdup ("地字第370304202600457号");
  cert->copies = 1;
  g_ptr_array_add (s->certificates, cert);
  cert = g_new0 (PtCertificate, 1);
  cert->name = g_strdup ("山东省建设项目备案证明");
  cert->number = g_strdup ("2611-370304-04-01-553210");
  cert->copies = 2;
  g_ptr_array_add (s->certificates, cert);
  s->updated_on = g_strdup ("2026-12-09");
  return s;
}

PtCaseState *
pt_doc_fixture_person (void)
{
  PtCaseState *s = pt_case_state_new ();

  s->id = g_strdup ("0193a1b2-0000-7000-8000-000000000002");
  s->number = g_strdup ("370304-YC-001-20261126-0007");
  s->status = PT_STATUS_TERMINATED;
  s->unit = g_strdup ("370304-YC-001");
  s->level = PT_LEVEL_VILLAGE;
  s->channel = g_strdup ("home_visit");
  s->intake_date = g_strdup ("2026-11-26");
  s->applicant_kind = g_strdup ("person");
  s->applicant_name = g_strdup ("张桂兰");
  s->id_number = g_strdup ("37030419580312002X");
  s->phone = g_strdup ("0533-4151890");
  s->address = g_strdup ("博山区域城镇域城村 12 号");
  s->vulnerable = g_strdup ("elderly");
  g_ptr_array_add (s->items, g_strdup ("V-MZJ-001"));
  g_ptr_array_add (s->materials, material ("居民身份证", FALSE, 1, FALSE, "V-MZJ-001"));
  g_ptr_array_add (s->materials, material ("户口簿", TRUE, 1, FALSE, "V-MZJ-001"));
  g_ptr_array_add (s->materials, material ("家庭收入证明", TRUE, 1, TRUE, "V-MZJ-001"));
  g_ptr_array_add (s->notice_materials, g_strdup ("家庭收入证明"));
  s->notice_date = g_strdup ("2026-11-26");
  s->agreement_date = g_strdup ("2026-11-26");
  s->runner = g_strdup ("R-0002");
  s->terminated_on = g_strdup ("2026-12-01");
  s->termination_code = g_strdup ("applicant_withdrew");
  s->termination_reason = g_strdup ("申请人家庭收入情况发生变化，决定暂不申请最低生活保障");
  g_ptr_array_add (s->returned_materials, material ("户口簿", TRUE, 1, FALSE, NULL));
  g_ptr_array_add (s->returned_materials, material ("居民身份证", FALSE, 1, FALSE, NULL));
  s->updated_on = g_strdup ("2026-12-01");
  return s;
}

PtRunner *
pt_doc_fixture_runner (void)
{
  PtRunner *r = g_new0 (PtRunner, 1);

  r->id = g_strdup ("R-0001");
  r->name = g_strdup ("李晓梅");
  r->unit = g_strdup ("370304");
  r->staff_number = g_strdup ("BSZW-0107");
  r->phone = g_strdup ("13853319876");
  r->active = TRUE;
  return r;
}
