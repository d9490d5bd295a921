/* pt-case-list-model.c: pages of case rows fetched on demand from the worker. */
#define G_LOG_DOMAIN "pt-app"

#include "pt-case-list-model.h"

#include "pt-case-item.h"

/* Enough pages for a few screens above and below the visible rows. */
#define MAX_PAGES 12

typedef struct {
  guint      index;
  GPtrArray *items;       /* PtCaseItem; the first n_valid are in the list */
  guint      n_valid;
  gboolean   loaded;
  GList     *lru_link;    /* in self->lru */
} Page;

struct _PtCaseListModel
{
  GObject        parent_instance;

  PtStoreWorker *worker;
  char          *search;
  int            status;
  int            level;
  char          *runner;
  gboolean       overdue_only;
  char          *today;

  guint          n_items;
  guint          generation;
  gboolean       loading;      /* the count of the query is not known yet */
  gboolean       first_page;   /* the query's first page has arrived */
  guint          n_before_empty; /* the length before the last empty answer */
  gint64         pending_count;
  GCancellable  *cancellable;
  GHashTable    *pages;   /* page index -> Page */
  GQueue         lru;     /* page indices, most recent first */
  GError        *error;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PtCaseListModel, pt_case_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  REFRESHED,
  COUNTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
fill_query (PtCaseListModel *self,
            PtCaseQuery     *query)
{
  pt_case_query_init (query);
  query->search = self->search;
  query->status = self->status;
  query->level = self->level;
  query->runner = self->runner;
  query->overdue_only = self->overdue_only;
  query->today = self->today;
}

static void
set_loading (PtCaseListModel *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
clear_pages (PtCaseListModel *self)
{
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->pages);
}

static void
touch_page (PtCaseListModel *self,
            Page            *page)
{
  if (page->lru_link != NULL)
    g_queue_unlink (&self->lru, page->lru_link);
  else
    page->lru_link = g_list_alloc ();
  page->lru_link->data = GUINT_TO_POINTER (page->index);
  g_queue_push_head_link (&self->lru, page->lru_link);
}

static void
drop_page (PtCaseListModel *self,
           Page            *page)
{
  if (page->lru_link != NULL)
    g_queue_delete_link (&self->lru, page->lru_link);
  g_hash_table_remove (self->pages, GUINT_TO_POINTER (page->index));
}

/* Whether a view still shows one of the page's items: then the page stays,
 * so that a new query can update those items where they are (also items of
 * positions the list no longer has, for when it grows back to them). */
static gboolean
page_held (Page *page)
{
  for (guint i = 0; i < page->items->len; i++)
    if (G_OBJECT (g_ptr_array_index (page->items, i))->ref_count > 1)
      return TRUE;
  return FALSE;
}

static void
evict_pages (PtCaseListModel *self)
{
  GList *link = self->lru.tail;

  /* The least recently used first; pages a view still shows are kept (a
   * list view holds a few hundred rows at most: a few pages). */
  while (self->lru.length > MAX_PAGES && link != NULL)
    {
      GList *prev = link->prev;
      Page *page = g_hash_table_lookup (self->pages, link->data);

      if (!page_held (page))
        drop_page (self, page);
      link = prev;
    }
}

/* Gives @page an item for each of its positions below @n_items. Items of
 * positions beyond are kept aside, and come back (as placeholders until
 * their page is loaded again) if the list grows again. */
static void
size_page (Page  *page,
           guint  n_items)
{
  guint start = page->index * PT_STORE_DEFAULT_PAGE;
  guint n = start < n_items ? MIN (PT_STORE_DEFAULT_PAGE, n_items - start) : 0;

  for (guint i = page->n_valid; i < n && i < page->items->len; i++)
    pt_case_item_set_row (g_ptr_array_index (page->items, i), NULL);
  while (page->items->len < n)
    g_ptr_array_add (page->items, pt_case_item_new (start + page->items->len));
  page->n_valid = n;
}

static Page *
new_page (PtCaseListModel *self,
          guint            index,
          guint            n_items)
{
  Page *page = g_new0 (Page, 1);

  page->index = index;
  page->items = g_ptr_array_new_full (PT_STORE_DEFAULT_PAGE, g_object_unref);
  size_page (page, n_items);
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  touch_page (self, page);
  return page;
}

static void
fill_page (Page      *page,
           GPtrArray *rows)
{
  for (guint i = 0; i < rows->len && i < page->n_valid; i++)
    pt_case_item_set_row (g_ptr_array_index (page->items, i),
                          g_steal_pointer (&g_ptr_array_index (rows, i)));
  page->loaded = TRUE;
}

typedef struct {
  PtCaseListModel *self;
  guint            generation;
  guint            page;
} LoadData;

static LoadData *
load_data_new (PtCaseListModel *self,
               guint            page)
{
  LoadData *data = g_new0 (LoadData, 1);

  data->self = g_object_ref (self);
  data->generation = self->generation;
  data->page = page;
  return data;
}

static void
page_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LoadData *data = user_data;
  g_autoptr(PtCaseListModel) self = data->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  Page *page;

  rows = pt_store_worker_list_cases_finish (PT_STORE_WORKER (source), result, NULL, &error);
  if (data->generation == self->generation && rows != NULL &&
      (page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (data->page))) != NULL)
    fill_page (page, rows);
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not load a page of cases: %s", error->message);
  g_free (data);
}

static void
request_page (PtCaseListModel *self,
              Page            *page)
{
  PtCaseQuery query;

  page->loaded = FALSE;
  fill_query (self, &query);
  pt_store_worker_list_cases_async (self->worker, &query,
                                    page->index * PT_STORE_DEFAULT_PAGE,
                                    PT_STORE_DEFAULT_PAGE, FALSE,
                                    self->cancellable, page_loaded_cb,
                                    load_data_new (self, page->index));
}

/* Changes the length of the list to @n_items, telling the views only about
 * the positions added or removed at its end. */
static void
set_n_items (PtCaseListModel *self,
             guint            n_items)
{
  guint old_n = self->n_items;
  g_autoptr(GList) pages = g_hash_table_get_values (self->pages);

  if (n_items == old_n)
    return;
  if (n_items == 0)
    self->n_before_empty = old_n;
  for (GList *l = pages; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->index * PT_STORE_DEFAULT_PAGE >= n_items && page->index > 0 && !page_held (page))
        drop_page (self, page);
      else if (page->n_valid < MIN (PT_STORE_DEFAULT_PAGE, n_items - MIN (n_items, page->index * PT_STORE_DEFAULT_PAGE)))
        {
          /* The last page grew: its new items are loaded with the rest. */
          size_page (page, n_items);
          request_page (self, page);
        }
      else
        size_page (page, n_items);
    }
  self->n_items = n_items;
  if (n_items < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), n_items, old_n - n_items, 0);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, n_items - old_n);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  LoadData *data = user_data;
  g_autoptr(PtCaseListModel) self = data->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 count = 0;
  guint generation = data->generation;

  g_free (data);
  rows = pt_store_worker_list_cases_finish (PT_STORE_WORKER (source), result, &count, &error);
  if (generation != self->generation || !self->loading)
    return;
  if (rows == NULL)
    {
      /* The first page stays; only the length of the rest is unknown. */
      g_warning ("Could not count the cases: %s", error->message);
      count = self->n_items;
    }
  if (!self->first_page)
    {
      /* The count came first: the first page applies it. */
      self->pending_count = MAX (count, 0);
      return;
    }

  set_n_items (self, (guint) MAX (count, 0));
  set_loading (self, FALSE);
  g_signal_emit (self, signals[COUNTED], 0);
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LoadData *data = user_data;
  g_autoptr(PtCaseListModel) self = data->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint generation = data->generation;
  g_autoptr(GList) pages = NULL;
  guint n_items;
  gboolean counted;
  Page *first;

  g_free (data);
  rows = pt_store_worker_list_cases_finish (PT_STORE_WORKER (source), result, NULL, &error);
  if (generation != self->generation)
    return;

  self->first_page = TRUE;
  g_clear_error (&self->error);
  if (rows == NULL)
    {
      self->error = g_steal_pointer (&error);
      set_n_items (self, 0);
      set_loading (self, FALSE);
      g_signal_emit (self, signals[REFRESHED], 0);
      g_signal_emit (self, signals[COUNTED], 0);
      return;
    }

  /* A short first page is the whole answer. A full one is followed by the
   * count; until it comes, the list keeps its length, so that the rows the
   * view shows are updated where they are instead of being made again. */
  counted = rows->len < PT_STORE_DEFAULT_PAGE || self->pending_count >= 0;
  if (rows->len < PT_STORE_DEFAULT_PAGE)
    n_items = rows->len;
  else if (self->pending_count >= 0)
    n_items = MAX ((guint) self->pending_count, rows->len);
  else
    n_items = MAX (self->n_items > 0 ? self->n_items : self->n_before_empty, rows->len);

  /* The first page's items take the new rows. Other pages that a view
   * still shows are loaded again for the new query; the rest go. */
  pages = g_hash_table_get_values (self->pages);
  for (GList *l = pages; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->index == 0)
        continue;
      if (!page_held (page))
        drop_page (self, page);
      else
        {
          size_page (page, n_items);
          if (page->n_valid > 0)
            request_page (self, page);
        }
    }
  first = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (0));
  if (first == NULL)
    first = new_page (self, 0, n_items);
  size_page (first, n_items);
  fill_page (first, rows);
  set_n_items (self, n_items);

  if (counted)
    set_loading (self, FALSE);
  g_signal_emit (self, signals[REFRESHED], 0);
  if (counted)
    g_signal_emit (self, signals[COUNTED], 0);
}

/**
 * pt_case_list_model_reload:
 * @self: a model
 *
 * Loads the first page of the matching cases and counts them all; the
 * older query, if still running, is cancelled and its answer ignored.
 */
void
pt_case_list_model_reload (PtCaseListModel *self)
{
  PtCaseQuery query;

  g_return_if_fail (PT_IS_CASE_LIST_MODEL (self));

  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->first_page = FALSE;
  self->pending_count = -1;

  fill_query (self, &query);
  set_loading (self, TRUE);
  /* Both at once: the worker counts while the view shows the first page. */
  pt_store_worker_list_cases_async (self->worker, &query, 0, PT_STORE_DEFAULT_PAGE, FALSE,
                                    self->cancellable, refreshed_cb, load_data_new (self, 0));
  pt_store_worker_list_cases_async (self->worker, &query, 0, 0, TRUE,
                                    self->cancellable, counted_cb, load_data_new (self, 0));
}

static GType
get_item_type (GListModel *model)
{
  return PT_TYPE_CASE_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return PT_CASE_LIST_MODEL (model)->n_items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PtCaseListModel *self = PT_CASE_LIST_MODEL (model);
  guint index = position / PT_STORE_DEFAULT_PAGE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    {
      page = new_page (self, index, self->n_items);
      request_page (self, page);
      evict_pages (self);
    }
  else
    {
      touch_page (self, page);
      if (position % PT_STORE_DEFAULT_PAGE >= page->n_valid)
        {
          size_page (page, self->n_items);
          request_page (self, page);
        }
    }

  return g_object_ref (g_ptr_array_index (page->items, position % PT_STORE_DEFAULT_PAGE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
pt_case_list_model_dispose (GObject *object)
{
  PtCaseListModel *self = PT_CASE_LIST_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);

  G_OBJECT_CLASS (pt_case_list_model_parent_class)->dispose (object);
}

static void
pt_case_list_model_finalize (GObject *object)
{
  PtCaseListModel *self = PT_CASE_LIST_MODEL (object);

  clear_pages (self);
  g_hash_table_unref (self->pages);
  g_free (self->search);
  g_free (self->runner);
  g_free (self->today);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (pt_case_list_model_parent_class)->finalize (object);
}

static void
pt_case_list_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PtCaseListModel *self = PT_CASE_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pt_case_list_model_class_init (PtCaseListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pt_case_list_model_dispose;
  object_class->finalize = pt_case_list_model_finalize;
  object_class->get_property = pt_case_list_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when a query's count and first page have arrived. */
  signals[REFRESHED] = g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 0);
  /* Emitted when the query's whole count is known (after "refreshed"). */
  signals[COUNTED] = g_signal_new ("counted", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
pt_case_list_model_init (PtCaseListModel *self)
{
  self->status = -1;
  self->level = -1;
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  g_queue_init (&self->lru);
}

PtCaseListModel *
pt_case_list_model_new (PtStoreWorker *worker)
{
  PtCaseListModel *self;

  g_return_val_if_fail (PT_IS_STORE_WORKER (worker), NULL);

  self = g_object_new (PT_TYPE_CASE_LIST_MODEL, NULL);
  self->worker = g_object_ref (worker);
  return self;
}

static gboolean
set_str (char       **field,
         const char  *value)
{
  /* An empty text filters nothing. */
  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
pt_case_list_model_set_search (PtCaseListModel *self,
                               const char      *search)
{
  g_autofree char *stripped = g_strstrip (g_strdup (search ? search : ""));

  g_return_if_fail (PT_IS_CASE_LIST_MODEL (self));
  if (set_str (&self->search, stripped))
    pt_case_list_model_reload (self);
}

void
pt_case_list_model_set_status (PtCaseListModel *self,
                               int              status)
{
  g_return_if_fail (PT_IS_CASE_LIST_MODEL (self));
  if (self->status == status)
    return;
  self->status = status;
  pt_case_list_model_reload (self);
}

void
pt_case_list_model_set_level (PtCaseListModel *self,
                              int              level)
{
  g_return_if_fail (PT_IS_CASE_LIST_MODEL (self));
  if (self->level == level)
    return;
  self->level = level;
  pt_case_list_model_reload (self);
}

void
pt_case_list_model_set_runner (PtCaseListModel *self,
                               const char      *runner)
{
  g_return_if_fail (PT_IS_CASE_LIST_MODEL (self));
  if (set_str (&self->runner, runner))
    pt_case_list_model_reload (self);
}

void
pt_case_list_model_set_overdue_only (PtCaseListModel *self,
                                     gboolean         overdue_only)
{
  g_return_if_fail (PT_IS_CASE_LIST_MODEL (self));
  if (self->overdue_only == !!overdue_only)
    return;
  self->overdue_only = !!overdue_only;
  pt_case_list_model_reload (self);
}

void
pt_case_list_model_set_today (PtCaseListModel *self,
                              const char      *today)
{
  g_return_if_fail (PT_IS_CASE_LIST_MODEL (self));
  if (set_str (&self->today, today))
    pt_case_list_model_reload (self);
}

gboolean
pt_case_list_model_get_loading (PtCaseListModel *self)
{
  g_return_val_if_fail (PT_IS_CASE_LIST_MODEL (self), FALSE);
  return self->loading;
}

guint
pt_case_list_model_get_n_pages (PtCaseListModel *self)
{
  g_return_val_if_fail (PT_IS_CASE_LIST_MODEL (self), 0);
  return g_hash_table_size (self->pages);
}

const GError *
pt_case_list_model_get_error (PtCaseListModel *self)
{
  g_return_val_if_fail (PT_IS_CASE_LIST_MODEL (self), NULL);
  return self->error;
}
