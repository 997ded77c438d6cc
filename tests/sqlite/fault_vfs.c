/* fault_vfs.c: a SQLite VFS for tests that fails the Nth write or sync.
 *
 * A test-only loadable extension (build/tests/fault_vfs.so), in the manner
 * of SQLite's own test_vfs.c: loading it registers the VFS "fault", which
 * wraps the default one and passes everything through, except that it can
 * be told to fail one write (xWrite, xTruncate), sync (xSync) or deletion
 * (xDelete: the journal's, which is the commit in DELETE mode) with
 * SQLITE_FULL or SQLITE_IOERR (always SQLITE_IOERR_DELETE for a deletion). Loading it also adds three SQL functions to
 * the connection:
 *
 *   fault_vfs_arm(n, 'full'|'ioerr')  the n-th write, sync or deletion
 *                                     from now fails (n = 0: none, count)
 *   fault_vfs_arm(n, 'full-after')    the n-th succeeds, and from then on
 *                                     every write of the process to any
 *                                     file fails (EFBIG: RLIMIT_FSIZE is
 *                                     lowered to 0), as on a disk that
 *                                     filled up: the graph's files too.
 *                                     Only in a process of its own.
 *   fault_vfs_heal()                  writes work again
 *   fault_vfs_count()                 writes, syncs and deletions since the
 *                                     last arm
 *
 * Open the database through it with a URI: file:test.db?vfs=fault. The
 * counter is process-wide: SQLite calls a connection's VFS from that
 * connection's thread, and the tests drive one connection at a time.
 */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

static sqlite3_vfs *real_vfs;
static long long operations; /* writes, syncs, deletions since the last arm */
static long long fail_at;    /* fail this one (1-based); 0: none */
static int fail_code = SQLITE_FULL;
static int fill_disk;        /* 'full-after': the armed one fills the disk */
static struct rlimit saved_fsize;

/* Every later write of the process fails, with EFBIG (SIGXFSZ ignored). */
static void fill_the_disk(void) {
  struct rlimit none = {0, 0};
  signal(SIGXFSZ, SIG_IGN);
  getrlimit(RLIMIT_FSIZE, &saved_fsize);
  none.rlim_max = saved_fsize.rlim_max;
  setrlimit(RLIMIT_FSIZE, &none);
}

typedef struct FaultFile {
  sqlite3_file base; /* must be first */
  sqlite3_file *real; /* follows this struct in the same allocation */
} FaultFile;

#define REAL(f) (((FaultFile *)(f))->real)

/* Counts one write, sync or deletion; nonzero when it is the one to fail. */
static int fails_now(void) {
  ++operations;
  if (fail_at == 0 || operations != fail_at) return 0;
  if (!fill_disk) return 1;
  fill_the_disk();
  return 0;
}

static int f_close(sqlite3_file *f) {
  int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
  return rc;
}
static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off) {
  return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}
static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off) {
  if (fails_now()) return fail_code == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
  return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size) {
  if (fails_now()) return fail_code == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_TRUNCATE;
  return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags) {
  if (fails_now()) return fail_code == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_FSYNC;
  return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size) {
  return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int level) {
  return REAL(f)->pMethods->xLock(REAL(f), level);
}
static int f_unlock(sqlite3_file *f, int level) {
  return REAL(f)->pMethods->xUnlock(REAL(f), level);
}
static int f_check_lock(sqlite3_file *f, int *out) {
  return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_control(sqlite3_file *f, int op, void *arg) {
  return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_device(sqlite3_file *f) {
  return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out) {
  return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, out);
}
static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags) {
  return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}
static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int del) {
  return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out) {
  /* No memory-mapped reads: every access goes through xRead. */
  (void)f, (void)off, (void)n;
  *out = 0;
  return SQLITE_OK;
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p) {
  (void)f, (void)off, (void)p;
  return SQLITE_OK;
}

static const sqlite3_io_methods fault_methods = {
    3,          f_close,     f_read,      f_write,    f_truncate,    f_sync,
    f_size,     f_lock,      f_unlock,    f_check_lock, f_control,   f_sector,
    f_device,   f_shm_map,   f_shm_lock,  f_shm_barrier, f_shm_unmap, f_fetch,
    f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
                  int *out_flags) {
  FaultFile *f = (FaultFile *)file;
  int rc;
  (void)vfs;
  f->real = (sqlite3_file *)&f[1];
  memset(f->real, 0, (size_t)real_vfs->szOsFile);
  rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
  /* SQLite calls xClose whenever pMethods is set, also after a failed open. */
  f->base.pMethods = f->real->pMethods ? &fault_methods : 0;
  return rc;
}
static int v_delete(sqlite3_vfs *vfs, const char *name, int sync_dir) {
  (void)vfs;
  /* Deleting the rollback journal is SQLite's commit in DELETE mode. */
  if (fails_now()) return SQLITE_IOERR_DELETE;
  return real_vfs->xDelete(real_vfs, name, sync_dir);
}
static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
  (void)vfs;
  return real_vfs->xAccess(real_vfs, name, flags, out);
}
static int v_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out) {
  (void)vfs;
  return real_vfs->xFullPathname(real_vfs, name, n, out);
}
static void *v_dl_open(sqlite3_vfs *vfs, const char *name) {
  (void)vfs;
  return real_vfs->xDlOpen(real_vfs, name);
}
static void v_dl_error(sqlite3_vfs *vfs, int n, char *out) {
  (void)vfs;
  real_vfs->xDlError(real_vfs, n, out);
}
static void (*v_dl_sym(sqlite3_vfs *vfs, void *handle, const char *name))(void) {
  (void)vfs;
  return real_vfs->xDlSym(real_vfs, handle, name);
}
static void v_dl_close(sqlite3_vfs *vfs, void *handle) {
  (void)vfs;
  real_vfs->xDlClose(real_vfs, handle);
}
static int v_randomness(sqlite3_vfs *vfs, int n, char *out) {
  (void)vfs;
  return real_vfs->xRandomness(real_vfs, n, out);
}
static int v_sleep(sqlite3_vfs *vfs, int us) {
  (void)vfs;
  return real_vfs->xSleep(real_vfs, us);
}
static int v_current_time(sqlite3_vfs *vfs, double *out) {
  (void)vfs;
  return real_vfs->xCurrentTime(real_vfs, out);
}
static int v_last_error(sqlite3_vfs *vfs, int n, char *out) {
  (void)vfs;
  return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, out) : 0;
}
static int v_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
  (void)vfs;
  return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs fault_vfs = {
    2, 0, 0, 0, "fault", 0, v_open, v_delete, v_access, v_full_path, v_dl_open, v_dl_error,
    v_dl_sym, v_dl_close, v_randomness, v_sleep, v_current_time, v_last_error,
    v_current_time64, 0, 0, 0,
};

static void fn_arm(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const char *kind = (const char *)sqlite3_value_text(argv[1]);
  (void)argc;
  if (kind == 0 || (strcmp(kind, "full") != 0 && strcmp(kind, "ioerr") != 0 &&
                    strcmp(kind, "full-after") != 0)) {
    sqlite3_result_error(ctx, "fault_vfs_arm: the kind is 'full', 'ioerr' or 'full-after'", -1);
    return;
  }
  fill_disk = strcmp(kind, "full-after") == 0;
  fail_code = strcmp(kind, "full") == 0 ? SQLITE_FULL : SQLITE_IOERR;
  fail_at = sqlite3_value_int64(argv[0]);
  operations = 0;
  sqlite3_result_null(ctx);
}

static void fn_heal(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  if (saved_fsize.rlim_max != 0) setrlimit(RLIMIT_FSIZE, &saved_fsize);
  fail_at = 0;
  sqlite3_result_null(ctx);
}

static void fn_count(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  sqlite3_result_int64(ctx, operations);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_faultvfs_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  int rc;
  (void)err;
  SQLITE_EXTENSION_INIT2(api);
  if (sqlite3_vfs_find("fault") == 0) {
    real_vfs = sqlite3_vfs_find(0);
    fault_vfs.szOsFile = (int)sizeof(FaultFile) + real_vfs->szOsFile;
    fault_vfs.mxPathname = real_vfs->mxPathname;
    rc = sqlite3_vfs_register(&fault_vfs, 0);
    if (rc != SQLITE_OK) return rc;
  }
  rc = sqlite3_create_function(db, "fault_vfs_arm", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, 0,
                               fn_arm, 0, 0);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function(db, "fault_vfs_count", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, 0,
                                 fn_count, 0, 0);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function(db, "fault_vfs_heal", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, 0,
                                 fn_heal, 0, 0);
  }
  /* The VFS outlives the connection that loaded it. */
  return rc == SQLITE_OK ? SQLITE_OK_LOAD_PERMANENTLY : rc;
}
